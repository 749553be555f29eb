import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQueryClient } from 'react-query';
import { auditKeys } from '../../api/audit';
import { tokenKeys, useTokensApi, type ExpiryInput, type Token } from '../../api/tokens';
import { errorMessageOf, fieldErrorsByPath } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';
import { RegenerateDialog } from './components/RegenerateDialog';
import { RevealTokenModal } from './components/RevealTokenModal';
import { RevokeDialog } from './components/RevokeDialog';

/** A token without the secret that create and regenerate return. */
const withoutSecret = ({ accessKey: _secret, ...token }: Token & { accessKey?: string }): Token => token;

/** Puts a token as the server returned it (never with its secret) into the cached list and page; its audit trail grew. */
export const useShowChangedToken = () => {
  const queryClient = useQueryClient();
  return React.useCallback(
    (token: Token) => {
      queryClient.setQueryData(tokenKeys.detail(token.documentId), token);
      queryClient.setQueryData<Token[] | undefined>(tokenKeys.list(), (rows) =>
        rows?.map((row) => (row.documentId === token.documentId ? token : row))
      );
      void queryClient.invalidateQueries(auditKeys.all);
    },
    [queryClient]
  );
};

/** The regenerate and revoke dialogs and the one-time reveal of a new secret, for the token list and the token page. */
export const useTokenDialogs = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const api = useTokensApi();
  const onChanged = useShowChangedToken();
  const [regenerating, setRegenerating] = React.useState<Token | null>(null);
  const [revoking, setRevoking] = React.useState<Token | null>(null);
  // The one-time secret: component state only, dropped when the modal closes.
  const [revealed, setRevealed] = React.useState<{ name: string; secret: string } | null>(null);

  const handleRegenerate = async (token: Token, expiry: ExpiryInput) => {
    try {
      const result = await api.regenerateToken(token.documentId, expiry);
      onChanged(withoutSecret(result));
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
      onChanged(await api.revokeToken(token.documentId));
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

  return {
    regenerate: setRegenerating,
    revoke: setRevoking,
    dialogs: (
      <>
        <RegenerateDialog token={regenerating} onCancel={() => setRegenerating(null)} onConfirm={handleRegenerate} />
        <RevokeDialog token={revoking} onCancel={() => setRevoking(null)} onConfirm={handleRevoke} />
        <RevealTokenModal
          secret={revealed?.secret ?? null}
          tokenName={revealed?.name}
          onClose={() => setRevealed(null)}
        />
      </>
    ),
  };
};
