import type * as React from 'react';
import { Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise, CrossCircle, Pencil } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { Scope, Token } from '../../../api/tokens';
import { RowActions, TableHead } from '../../../components/TableParts';
import { getTranslation } from '../../../utils/getTranslation';
import { Monospace } from '../../../components/Monospace';
import { ScopeBadges } from './ScopeBadges';
import { StatusBadge } from './StatusBadge';

interface TokenTableProps {
  tokens: Token[];
  scopes: Map<string, Scope>;
  canUpdate: boolean;
  canRegenerate: boolean;
  canRevoke: boolean;
  /** Opens the token's page (a click on its row, or its edit button). */
  onOpen: (token: Token) => void;
  onRegenerate: (token: Token) => void;
  onRevoke: (token: Token) => void;
}

const HEADERS = [
  { id: 'name', defaultMessage: 'Name' },
  { id: 'hint', defaultMessage: 'Token' },
  { id: 'scopes', defaultMessage: 'Scopes' },
  { id: 'status', defaultMessage: 'Status' },
  { id: 'expiresAt', defaultMessage: 'Expires' },
  { id: 'lastUsedAt', defaultMessage: 'Last used' },
];

export const TokenTable = ({
  tokens,
  scopes,
  canUpdate,
  canRegenerate,
  canRevoke,
  onOpen,
  onRegenerate,
  onRevoke,
}: TokenTableProps) => {
  const { formatMessage, formatDate } = useIntl();
  const hasActions = canUpdate || canRegenerate || canRevoke;

  return (
    <Table colCount={HEADERS.length + (hasActions ? 1 : 0)} rowCount={tokens.length + 1}>
      <TableHead
        headers={HEADERS.map((header) =>
          formatMessage({ id: getTranslation(`tokens.table.${header.id}`), defaultMessage: header.defaultMessage })
        )}
        actionsLabel={
          hasActions
            ? formatMessage({ id: getTranslation('tokens.table.actions'), defaultMessage: 'Actions' })
            : undefined
        }
      />
      <Tbody>
        {tokens.map((token) => (
          <Tr
            key={token.documentId}
            data-token={token.documentId}
            onClick={() => onOpen(token)}
            style={{ cursor: 'pointer' }}
          >
            <Td maxWidth="28rem">
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography textColor="neutral800" fontWeight="bold" ellipsis>
                  {token.name}
                </Typography>
                {token.description ? (
                  <Typography variant="pi" textColor="neutral600" ellipsis title={token.description}>
                    {token.description}
                  </Typography>
                ) : null}
              </Flex>
            </Td>
            <Td>
              <Monospace variant="pi" textColor="neutral800" data-testid="token-hint">
                {token.hint}
              </Monospace>
            </Td>
            <Td maxWidth="32rem">
              <ScopeBadges scopes={token.scopes} known={scopes} />
            </Td>
            <Td>
              <StatusBadge status={token.status} />
            </Td>
            <Td>
              <Typography textColor="neutral800" title={new Date(token.expiresAt).toISOString()}>
                {formatDate(token.expiresAt, { dateStyle: 'medium' })}
              </Typography>
            </Td>
            <Td>
              <Typography
                textColor={token.lastUsedAt ? 'neutral800' : 'neutral500'}
                title={token.lastUsedIp ?? undefined}
              >
                {token.lastUsedAt
                  ? formatDate(token.lastUsedAt, { dateStyle: 'medium', timeStyle: 'short' })
                  : formatMessage({ id: getTranslation('tokens.table.never'), defaultMessage: 'Never' })}
              </Typography>
            </Td>
            {hasActions ? (
              // The buttons act on their own; the click must not also open the row.
              <Td onClick={(event: React.MouseEvent) => event.stopPropagation()}>
                <RowActions
                  actions={[
                    ...(canUpdate
                      ? [
                          {
                            label: formatMessage(
                              { id: getTranslation('tokens.table.edit'), defaultMessage: 'Edit {name}' },
                              { name: token.name }
                            ),
                            icon: <Pencil />,
                            onClick: () => onOpen(token),
                          },
                        ]
                      : []),
                    ...(canRegenerate && token.status !== 'revoked'
                      ? [
                          {
                            label: formatMessage(
                              { id: getTranslation('tokens.table.regenerate'), defaultMessage: 'Regenerate {name}' },
                              { name: token.name }
                            ),
                            icon: <ArrowClockwise />,
                            onClick: () => onRegenerate(token),
                          },
                        ]
                      : []),
                    ...(canRevoke && token.status !== 'revoked'
                      ? [
                          {
                            label: formatMessage(
                              { id: getTranslation('tokens.table.revoke'), defaultMessage: 'Revoke {name}' },
                              { name: token.name }
                            ),
                            icon: <CrossCircle />,
                            onClick: () => onRevoke(token),
                          },
                        ]
                      : []),
                  ]}
                />
              </Td>
            ) : null}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
