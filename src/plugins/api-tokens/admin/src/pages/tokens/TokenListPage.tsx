import * as React from 'react';
import { Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { ListPage } from '../../components/ListPage';
import { useTokensApi, type Scope, type Token } from '../../api/tokens';
import { ALL_TOKEN_PERMISSIONS } from '../../permissions';
import { errorMessageOf, isAbort } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';
import { TokenTable } from './components/TokenTable';
import { useTokenDialogs } from './useTokenDialogs';

export const TokenListPage = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const api = useTokensApi();
  const {
    allowedActions: { canCreate, canUpdate, canRegenerate, canRevoke },
  } = useRBAC(ALL_TOKEN_PERMISSIONS);

  const [tokens, setTokens] = React.useState<Token[]>([]);
  const [scopes, setScopes] = React.useState<Map<string, Scope>>(new Map());
  const [isLoading, setIsLoading] = React.useState(true);
  const [loadError, setLoadError] = React.useState(false);

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

  const { regenerate, revoke, dialogs } = useTokenDialogs((token) =>
    setTokens((rows) => rows.map((row) => (row.documentId === token.documentId ? token : row)))
  );

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
      overlays={dialogs}
    >
      <TokenTable
        tokens={tokens}
        scopes={scopes}
        canUpdate={canUpdate}
        canRegenerate={canRegenerate}
        canRevoke={canRevoke}
        onOpen={(token) => navigate(`tokens/${encodeURIComponent(token.documentId)}`)}
        onRegenerate={regenerate}
        onRevoke={revoke}
      />
    </ListPage>
  );
};
