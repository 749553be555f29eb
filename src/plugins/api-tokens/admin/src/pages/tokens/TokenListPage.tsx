import * as React from 'react';
import { Page, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { useNavigate } from 'react-router-dom';
import { ListPage } from '../../components/ListPage';
import { tokenKeys, useTokensApi, type Scope } from '../../api/tokens';
import { ALL_TOKEN_PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { TokenTable } from './components/TokenTable';
import { useTokenDialogs } from './useTokenDialogs';

export const TokenListPage = () => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const api = useTokensApi();
  const {
    allowedActions: { canCreate, canUpdate, canRegenerate, canRevoke },
  } = useRBAC(ALL_TOKEN_PERMISSIONS);

  const notifyLoadError = useNotifyLoadError()(
    formatMessage({
      id: getTranslation('tokens.list.loadError'),
      defaultMessage: 'The API tokens could not be loaded.',
    })
  );
  const tokens = useQuery(tokenKeys.list(), () => api.listTokens(), {
    retry: retryUnlessClientError,
    onError: notifyLoadError,
  });
  const scopeList = useQuery(tokenKeys.scopes(), () => api.listScopes(), {
    staleTime: Infinity,
    retry: retryUnlessClientError,
    onError: notifyLoadError,
  });
  const scopes = React.useMemo(
    () => new Map<string, Scope>((scopeList.data ?? []).map((scope) => [scope.uid, scope])),
    [scopeList.data]
  );

  const { regenerate, revoke, dialogs } = useTokenDialogs();

  const title = formatMessage({ id: getTranslation('tokens.list.title'), defaultMessage: 'API tokens' });

  if (tokens.isLoading || scopeList.isLoading) return <Page.Loading />;
  if (tokens.isError || scopeList.isError || !tokens.data) return <Page.Error />;

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
      isEmpty={tokens.data.length === 0}
      emptyMessage={formatMessage({ id: getTranslation('tokens.list.empty'), defaultMessage: 'No API tokens yet' })}
      emptyMessageNoCreate={formatMessage({
        id: getTranslation('tokens.list.empty.noCreate'),
        defaultMessage: 'No API tokens yet. Ask an administrator to create one.',
      })}
      overlays={dialogs}
    >
      <TokenTable
        tokens={tokens.data}
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
