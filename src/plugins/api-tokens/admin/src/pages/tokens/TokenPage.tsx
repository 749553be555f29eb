import * as React from 'react';
import { Button, Flex, Grid, Typography } from '@strapi/design-system';
import { ArrowClockwise, CrossCircle } from '@strapi/icons';
import { Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useMutation, useQuery } from 'react-query';
import { useParams } from 'react-router-dom';
import { tokenKeys, useTokensApi, type Scope, type Token, type UpdateTokenInput } from '../../api/tokens';
import { FormPage } from '../../components/FormPage';
import { FormSection } from '../../components/FormSection';
import { ALL_TOKEN_PERMISSIONS, AUDIT_PERMISSIONS } from '../../permissions';
import { reportSaveError, statusOf } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useFormErrors } from '../../utils/useFormErrors';
import { AuditEventList } from '../audit/components/AuditEventList';
import { InfoItem } from './components/InfoItem';
import { InvalidFormAlert } from './components/InvalidFormAlert';
import { Monospace } from '../../components/Monospace';
import { ScopeList } from './components/ScopeList';
import { TokenRestrictions } from './components/TokenRestrictions';
import { useResourceOptions } from './useResourceOptions';
import { StatusBadge } from './components/StatusBadge';
import { TokenDetailsFields, useValidateDetails, type DetailsField } from './components/TokenDetailsFields';
import { useShowChangedToken, useTokenDialogs } from './useTokenDialogs';

const WITH_SECONDS: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };

/** The fields of a PUT that differ from the saved token; empty when nothing changed. */
const changesOf = (token: Token, name: string, description: string): UpdateTokenInput => {
  const changes: UpdateTokenInput = {};
  if (name.trim() !== token.name) changes.name = name.trim();
  const nextDescription = description.trim() || null;
  if (nextDescription !== (token.description ?? null)) changes.description = nextDescription;
  return changes;
};

/** /plugins/api-tokens/tokens/:documentId: rename a token, see what it may do and what happened to it. */
export const TokenPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const api = useTokensApi();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const {
    allowedActions: { canUpdate, canRegenerate, canRevoke },
  } = useRBAC(ALL_TOKEN_PERMISSIONS);
  const {
    allowedActions: { canRead: canReadAudit },
  } = useRBAC(AUDIT_PERMISSIONS.read);

  const [name, setName] = React.useState('');
  const [description, setDescription] = React.useState('');
  const { errors, setErrors, clearError } = useFormErrors<DetailsField>();
  const [showInvalid, setShowInvalid] = React.useState(false);
  const validateDetails = useValidateDetails();
  /** The token the form was filled from: a later refetch of the same token keeps what is being typed. */
  const formOf = React.useRef<string | null>(null);

  const fillForm = (next: Token) => {
    formOf.current = next.documentId;
    setName(next.name);
    setDescription(next.description ?? '');
  };
  const tokenQuery = useQuery(tokenKeys.detail(documentId), () => api.getToken(documentId), {
    retry: retryUnlessClientError,
    // The form starts from what is saved now, not from a cached copy.
    refetchOnMount: 'always',
    onSuccess: (loaded) => {
      if (formOf.current !== loaded.documentId) fillForm(loaded);
    },
  });
  const token = tokenQuery.data;
  const scopeList = useQuery(tokenKeys.scopes(), () => api.listScopes(), {
    staleTime: Infinity,
    retry: retryUnlessClientError,
  });
  const scopes = React.useMemo(
    () => new Map<string, Scope>((scopeList.data ?? []).map((scope) => [scope.uid, scope])),
    [scopeList.data]
  );
  const resourceOptions = useResourceOptions();
  const showChanged = useShowChangedToken();
  const save = useMutation((changes: UpdateTokenInput) => api.updateToken(documentId, changes), {
    onSuccess: (saved) => {
      showChanged(saved);
      fillForm(saved);
    },
  });
  const { regenerate, revoke, dialogs } = useTokenDialogs();

  const handleSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!token) return;
    const found = validateDetails(name, description);
    setErrors(found);
    setShowInvalid(Object.keys(found).length > 0);
    if (Object.keys(found).length > 0) return;

    const changes = changesOf(token, name, description);
    if (Object.keys(changes).length === 0) {
      toggleNotification({ type: 'info', message: t('tokens.page.unchanged', 'Nothing to save') });
      return;
    }
    try {
      await save.mutateAsync(changes);
      toggleNotification({ type: 'success', message: t('tokens.page.saved', 'Saved') });
    } catch (error) {
      reportSaveError(error, {
        fieldOf: (path): DetailsField | undefined => (path === 'name' || path === 'description' ? path : undefined),
        setErrors,
        notify: (notification) =>
          notification.type === 'warning' ? setShowInvalid(true) : toggleNotification(notification),
        invalidMessage: t('tokens.create.error.form', 'Check the highlighted fields'),
        failedMessage: t('tokens.page.error', 'The token could not be saved'),
      });
    }
  };

  if (tokenQuery.isLoading || !tokenQuery.isFetchedAfterMount || scopeList.isLoading) return <Page.Loading />;
  if (statusOf(tokenQuery.error) === 404) return <Page.NoData />;
  if (tokenQuery.isError || scopeList.isError || !token) return <Page.Error />;

  const isRevoked = token.status === 'revoked';
  const creator = [token.createdBy?.firstname, token.createdBy?.lastname].filter(Boolean).join(' ');

  return (
    <FormPage
      title={token.name}
      subtitle={
        creator
          ? t('tokens.page.subtitle.by', 'Created {date} by {name}', {
              date: formatDate(token.createdAt, { dateStyle: 'long' }),
              name: creator,
            })
          : t('tokens.page.subtitle', 'Created {date}', { date: formatDate(token.createdAt, { dateStyle: 'long' }) })
      }
      backTo=".."
      submitLabel={t('tokens.page.save', 'Save')}
      canSubmit={canUpdate}
      isSubmitting={save.isLoading}
      onSubmit={handleSubmit}
      overlays={dialogs}
    >
      <InvalidFormAlert open={showInvalid && Object.keys(errors).length > 0} onClose={() => setShowInvalid(false)} />
      <FormSection title={t('tokens.create.details', 'Details')}>
        <Grid.Root gap={5}>
          <TokenDetailsFields
            name={name}
            description={description}
            errors={errors}
            disabled={!canUpdate}
            onChange={(field, value) => {
              if (field === 'name') setName(value);
              else setDescription(value);
              clearError(field);
            }}
          />
        </Grid.Root>
      </FormSection>

      <FormSection
        title={t('tokens.page.access', 'Access')}
        hint={t(
          'tokens.page.access.hint',
          'Scopes are fixed when a token is created. Regenerate it to issue a new secret with a new expiry.'
        )}
      >
        <Grid.Root gap={5}>
          <Grid.Item col={3} s={6} xs={12}>
            <InfoItem label={t('tokens.table.status', 'Status')}>
              <StatusBadge status={token.status} />
            </InfoItem>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12}>
            <InfoItem label={t('tokens.table.hint', 'Token')}>
              <Monospace textColor="neutral800" data-testid="token-hint">
                {token.hint}
              </Monospace>
            </InfoItem>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12}>
            <InfoItem
              label={isRevoked ? t('tokens.page.revokedAt', 'Revoked') : t('tokens.table.expiresAt', 'Expires')}
            >
              <Typography textColor="neutral800">
                {formatDate(isRevoked && token.revokedAt ? token.revokedAt : token.expiresAt, WITH_SECONDS)}
              </Typography>
            </InfoItem>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12}>
            <InfoItem label={t('tokens.table.lastUsedAt', 'Last used')}>
              {token.lastUsedAt ? (
                <>
                  <Typography textColor="neutral800" data-testid="token-last-used">
                    {formatDate(token.lastUsedAt, WITH_SECONDS)}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600" data-testid="token-last-used-ip">
                    {t('tokens.page.lastUsedIp', 'from {ip}', { ip: token.lastUsedIp ?? '—' })}
                  </Typography>
                </>
              ) : (
                <Typography textColor="neutral500" data-testid="token-last-used">
                  {t('tokens.table.never', 'Never')}
                </Typography>
              )}
            </InfoItem>
          </Grid.Item>
        </Grid.Root>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="sigma" textColor="neutral600">
            {t('tokens.table.scopes', 'Scopes')}
          </Typography>
          <ScopeList scopes={token.scopes} known={scopes} />
        </Flex>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="sigma" textColor="neutral600">
            {t('tokens.create.restrictions', 'Restrictions')}
          </Typography>
          <TokenRestrictions token={token} options={resourceOptions.byKind} />
        </Flex>
        {!isRevoked && (canRegenerate || canRevoke) ? (
          <Flex gap={2}>
            {canRegenerate ? (
              <Button
                type="button"
                variant="secondary"
                startIcon={<ArrowClockwise />}
                onClick={() => regenerate(token)}
              >
                {t('tokens.page.regenerate', 'Regenerate')}
              </Button>
            ) : null}
            {canRevoke ? (
              <Button type="button" variant="danger-light" startIcon={<CrossCircle />} onClick={() => revoke(token)}>
                {t('tokens.page.revoke', 'Revoke')}
              </Button>
            ) : null}
          </Flex>
        ) : null}
      </FormSection>

      <FormSection
        title={t('tokens.page.audit', 'Audit trail')}
        hint={t('tokens.page.audit.hint', 'What was done to and with this token, newest first.')}
      >
        {canReadAudit ? (
          <AuditEventList
            filters={{ subjectType: 'api-token', subjectId: token.documentId }}
            showSubject={false}
            emptyMessage={t('tokens.page.audit.empty', 'Nothing recorded yet.')}
          />
        ) : (
          <Typography textColor="neutral600">
            {t('tokens.page.audit.forbidden', 'Reading the audit trail needs the "Read the audit log" permission.')}
          </Typography>
        )}
      </FormSection>
    </FormPage>
  );
};
