import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { RESOURCE_KIND_ORDER, type ResourceKind, type Token } from '../../../api/tokens';
import { Monospace } from '../../../components/Monospace';
import { getTranslation } from '../../../utils/getTranslation';
import type { ResourceOption } from '../useResourceOptions';
import { useResourceLabels } from './useResourceLabels';

const KindList = ({ kind, ids, options }: { kind: ResourceKind; ids: string[]; options: ResourceOption[] }) => {
  const { kindLabel, nameOf } = useResourceLabels(options);
  return (
    <Flex direction="column" alignItems="stretch" gap={1} data-resource-kind={kind}>
      <Typography variant="pi" fontWeight="bold" textColor="neutral800">
        {kindLabel(kind, 2)}
      </Typography>
      <Flex tag="ul" direction="column" alignItems="flex-start" gap={1}>
        {ids.map((documentId) => (
          <Typography tag="li" key={documentId} textColor="neutral800" data-resource={documentId}>
            {nameOf(documentId)}
          </Typography>
        ))}
      </Flex>
    </Flex>
  );
};

interface TokenRestrictionsProps {
  token: Pick<Token, 'resources' | 'allowedIps'>;
  options: Record<ResourceKind, ResourceOption[]>;
}

/** What a token is restricted to (read-only): its resources per kind and its IP allowlist, or that it is not. */
export const TokenRestrictions = ({ token, options }: TokenRestrictionsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const kinds = RESOURCE_KIND_ORDER.filter((kind) => (token.resources?.[kind] ?? []).length > 0);
  const ips = token.allowedIps ?? [];
  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="token-restrictions">
      {kinds.length === 0 ? (
        <Typography textColor="neutral600">
          {t('tokens.page.resources.none', 'Any semantic model, subscription and embed its scopes allow.')}
        </Typography>
      ) : (
        kinds.map((kind) => <KindList key={kind} kind={kind} ids={token.resources![kind]!} options={options[kind]} />)
      )}
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Typography variant="pi" fontWeight="bold" textColor="neutral800">
          {t('tokens.allowedIps', 'Allowed IP ranges')}
        </Typography>
        {ips.length === 0 ? (
          <Typography textColor="neutral600">{t('tokens.page.allowedIps.none', 'Any address.')}</Typography>
        ) : (
          <Flex tag="ul" direction="column" alignItems="flex-start" gap={1} data-testid="token-allowed-ips">
            {ips.map((range) => (
              <Monospace tag="li" key={range}>
                {range}
              </Monospace>
            ))}
          </Flex>
        )}
      </Flex>
    </Flex>
  );
};
