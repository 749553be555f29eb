import * as React from 'react';
import { Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { ListPage } from '../../components/ListPage';
import { useTokensApi, type ExpiryInput, type Scope, type Token } from '../../api/tokens';
import { ALL_TOKEN_PERMISSIONS } from '../../permissions';
import { errorMessageOf, fieldErrorsByPath, isAbort } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';
import { RegenerateDialog } from './components/RegenerateDialog';
import { RevealTokenModal } from './components/RevealTokenModal';
import { RevokeDialog } from './components/RevokeDialog';
import { TokenTable } from './components/TokenTable';

/** A token row without the secret that create and regenerate return. */
const withoutSecret = ({ accessKey: _secret, ...token }: Token & { accessKey?: string }): Token => token;

export const TokenListPage = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const api = useTokensApi();
  const {
    allowedActions: { canCreate, canRegenerate, canRevoke },
  } = useRBAC(ALL_TOKEN_PERMISSIONS);

  const [tokens, setTokens] = React.useState<Token[]>([]);
  const [scopes, setScopes] = React.useState<Map<string, Scope>>(new Map());
  const [isLoading, setIsLoading] = React.useState(true);
  const [loadError, setLoadError] = React.useState(false);
  const [regenerating, setRegenerating] = React.useState<Token | null>(null);
  const [revoking, setRevoking] = React.useState<Token | null>(null);
  // The one-time secret after a regeneration: component state only, dropped when the modal closes.
  const [revealed, setRevealed] = React.useState<{ name: string; secret: string } | null>(null);

  React.useEffect(() => {
    let active = true;
    Promise.all([api.listTokens(), api.listScopes()])
      .then(([tokenList, scopeList]) => {
        if (!active) return;
        setTokens(tokenList);
        setScopes(new Map(scopeList.map((scope) => [scope.uid, scope])));
      })
      .catch((error) => {
        if (!active || isAbort(error)) return;
        setLoadError(true);
        toggleNotification({
          type: 'danger',
          message: errorMessageOf(
            error,
            formatMessage({
              id: getTranslation('tokens.list.loadError'),
              defaultMessage: 'The API tokens could not be loaded.',
            })
          ),
        });
      })
      .finally(() => active && setIsLoading(false));
    return () => {
      active = false;
    };
  }, [api, formatMessage, toggleNotification]);

  const replaceRow = (token: Token) =>
    setTokens((rows) => rows.map((row) => (row.documentId === token.documentId ? token : row)));

  const handleRegenerate = async (token: Token, expiry: ExpiryInput) => {
    try {
      const result = await api.regenerateToken(token.documentId, expiry);
      replaceRow(withoutSecret(result));
      setRegenerating(null);
      setRevealed({ name: result.name, secret: result.accessKey });
    } catch (error) {
      const fields = fieldErrorsByPath(error);
      const expiryError = fields.expiresAt ?? fields.expiresInDays;
      if (expiryError) return { expiry: expiryError };
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(
          error,
          formatMessage({
            id: getTranslation('tokens.regenerate.error'),
            defaultMessage: 'The token could not be regenerated',
          })
        ),
      });
    }
  };

  const handleRevoke = async (token: Token) => {
    try {
      replaceRow(await api.revokeToken(token.documentId));
      setRevoking(null);
      toggleNotification({
        type: 'success',
        message: formatMessage(
          { id: getTranslation('tokens.revoke.success'), defaultMessage: '“{name}” was revoked' },
          { name: token.name }
        ),
      });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(
          error,
          formatMessage({ id: getTranslation('tokens.revoke.error'), defaultMessage: 'The token could not be revoked' })
        ),
      });
    }
  };

  const title = formatMessage({ id: getTranslation('tokens.list.title'), defaultMessage: 'API tokens' });

  if (isLoading) return <Page.Loading />;
  if (loadError) return <Page.Error />;

  return (
    <ListPage
      title={title}
      subtitle={formatMessage({
        id: getTranslation('tokens.list.subtitle'),
        defaultMessage:
          'Tokens let other apps call the reporting hub. Each one carries only the scopes you grant and expires.',
      })}
      createLabel={formatMessage({ id: getTranslation('tokens.list.create'), defaultMessage: 'Create token' })}
      canCreate={canCreate}
      isEmpty={tokens.length === 0}
      emptyMessage={formatMessage({ id: getTranslation('tokens.list.empty'), defaultMessage: 'No API tokens yet' })}
      emptyMessageNoCreate={formatMessage({
        id: getTranslation('tokens.list.empty.noCreate'),
        defaultMessage: 'No API tokens yet. Ask an administrator to create one.',
      })}
      overlays={
        <>
          <RegenerateDialog token={regenerating} onCancel={() => setRegenerating(null)} onConfirm={handleRegenerate} />
          <RevokeDialog token={revoking} onCancel={() => setRevoking(null)} onConfirm={handleRevoke} />
          <RevealTokenModal
            secret={revealed?.secret ?? null}
            tokenName={revealed?.name}
            onClose={() => setRevealed(null)}
          />
        </>
      }
    >
      <TokenTable
        tokens={tokens}
        scopes={scopes}
        canRegenerate={canRegenerate}
        canRevoke={canRevoke}
        onRegenerate={setRegenerating}
        onRevoke={setRevoking}
      />
    </ListPage>
  );
};
