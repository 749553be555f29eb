import * as React from 'react';
import { Box, Checkbox, Flex, Grid, Typography } from '@strapi/design-system';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery, useQueryClient } from 'react-query';
import { useNavigate } from 'react-router-dom';
import { tokenKeys, useTokensApi, type ResourceKind, type TokenResources } from '../../api/tokens';
import { reportSaveError } from '../../utils/errors';
import { DEFAULT_EXPIRY, toExpiryInput, type ExpiryValue } from '../../utils/expiry';
import { FormPage } from '../../components/FormPage';
import { FormSection } from '../../components/FormSection';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { useFormErrors, type FormErrors } from '../../utils/useFormErrors';
import { ExpiryField, useExpiryError } from './components/ExpiryField';
import { InvalidFormAlert } from './components/InvalidFormAlert';
import { Monospace } from '../../components/Monospace';
import { RevealTokenModal } from './components/RevealTokenModal';
import { TokenDetailsFields, useValidateDetails } from './components/TokenDetailsFields';
import { AllowedIpsField, parseAllowedIps } from './components/AllowedIpsField';
import { ResourcePicker } from './components/ResourcePicker';
import { useResourceOptions } from './useResourceOptions';

type FieldName = 'name' | 'description' | 'scopes' | 'expiry' | 'allowedIps' | `resources.${ResourceKind}`;

/** Server error paths to the form's fields. */
const FIELD_OF_PATH: Record<string, FieldName> = {
  name: 'name',
  description: 'description',
  scopes: 'scopes',
  expiresInDays: 'expiry',
  expiresAt: 'expiry',
  allowedIps: 'allowedIps',
};

/** `resources.models.0` → `resources.models`; other paths by their first part. */
const fieldOfPath = (path: string): FieldName | undefined => {
  const [first, kind] = path.split('.');
  if (first === 'resources') return kind ? (`resources.${kind}` as FieldName) : undefined;
  return FIELD_OF_PATH[first];
};

/** Only the kinds with picks: an empty restriction is none. */
const pickedResources = (resources: TokenResources): TokenResources | undefined => {
  const picked = Object.fromEntries(Object.entries(resources).filter(([, ids]) => ids && ids.length > 0));
  return Object.keys(picked).length > 0 ? picked : undefined;
};

export const CreateTokenPage = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const api = useTokensApi();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const queryClient = useQueryClient();
  const notifyLoadError = useNotifyLoadError();
  const availableScopes = useQuery(tokenKeys.scopes(), () => api.listScopes(), {
    staleTime: Infinity,
    retry: retryUnlessClientError,
    onError: notifyLoadError(t('tokens.create.scopes.loadError', 'The scopes could not be loaded')),
  });

  const [name, setName] = React.useState('');
  const [description, setDescription] = React.useState('');
  const [scopes, setScopes] = React.useState<string[]>([]);
  const [expiry, setExpiry] = React.useState<ExpiryValue>(DEFAULT_EXPIRY);
  const [resources, setResources] = React.useState<TokenResources>({});
  const [allowedIps, setAllowedIps] = React.useState('');
  const resourceOptions = useResourceOptions();
  const { errors, setErrors, clearError } = useFormErrors<FieldName>();
  const [showInvalid, setShowInvalid] = React.useState(false);
  const expiryError = useExpiryError();
  const validateDetails = useValidateDetails();
  const [isSubmitting, setIsSubmitting] = React.useState(false);
  // The one-time secret: component state only, dropped with this page when the modal closes.
  const [created, setCreated] = React.useState<{ name: string; secret: string } | null>(null);

  const validate = (): FormErrors<FieldName> => {
    const found: FormErrors<FieldName> = validateDetails(name, description);
    if (scopes.length === 0) found.scopes = t('tokens.create.error.scopes.required', 'Pick at least one scope');
    const expiryMessage = expiryError(expiry);
    if (expiryMessage) found.expiry = expiryMessage;
    return found;
  };

  const handleSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    setShowInvalid(Object.keys(found).length > 0);
    if (Object.keys(found).length > 0) return;

    setIsSubmitting(true);
    try {
      const result = await api.createToken({
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        scopes,
        ...(pickedResources(resources) ? { resources: pickedResources(resources) } : {}),
        ...(parseAllowedIps(allowedIps).length > 0 ? { allowedIps: parseAllowedIps(allowedIps) } : {}),
        ...toExpiryInput(expiry)!,
      });
      void queryClient.invalidateQueries(tokenKeys.list());
      setCreated({ name: result.name, secret: result.accessKey });
    } catch (error) {
      reportSaveError(error, {
        fieldOf: fieldOfPath,
        setErrors,
        // "Check the highlighted fields" is the form's own alert, which goes with the errors; a toast would stay.
        notify: (notification) =>
          notification.type === 'warning' ? setShowInvalid(true) : toggleNotification(notification),
        invalidMessage: t('tokens.create.error.form', 'Check the highlighted fields'),
        failedMessage: t('tokens.create.error.generic', 'The token could not be created'),
      });
    } finally {
      setIsSubmitting(false);
    }
  };

  const toggleScope = (uid: string, checked: boolean) => {
    setScopes((current) => (checked ? [...current, uid] : current.filter((scope) => scope !== uid)));
    clearError('scopes');
  };

  if (availableScopes.isLoading) return <Page.Loading />;
  if (availableScopes.isError || !availableScopes.data) return <Page.Error />;

  const title = t('tokens.create.title', 'Create an API token');

  return (
    <FormPage
      title={title}
      subtitle={t('tokens.create.subtitle', 'The token is shown once, right after you create it.')}
      backTo=".."
      submitLabel={t('tokens.create.submit', 'Create token')}
      isSubmitting={isSubmitting}
      onSubmit={handleSubmit}
      overlays={
        <RevealTokenModal
          secret={created?.secret ?? null}
          tokenName={created?.name}
          onClose={() => {
            setCreated(null);
            navigate('..', { replace: true });
          }}
        />
      }
    >
      <InvalidFormAlert open={showInvalid && Object.keys(errors).length > 0} onClose={() => setShowInvalid(false)} />
      <FormSection title={t('tokens.create.details', 'Details')}>
        <Grid.Root gap={5}>
          <TokenDetailsFields
            name={name}
            description={description}
            errors={errors}
            onChange={(field, value) => {
              if (field === 'name') setName(value);
              else setDescription(value);
              clearError(field);
            }}
          />
          <Grid.Item col={12} direction="column" alignItems="stretch">
            <ExpiryField
              value={expiry}
              onChange={(value) => {
                setExpiry(value);
                const problem = value.date ? expiryError(value) : undefined;
                if (problem) setErrors((current) => ({ ...current, expiry: problem }));
                else clearError('expiry');
              }}
              error={errors.expiry}
            />
          </Grid.Item>
        </Grid.Root>
      </FormSection>
      <FormSection
        title={t('tokens.create.scopes', 'Scopes')}
        hint={t('tokens.create.scopes.hint', 'What the token may do. Pick at least one.')}
        titleId="api-tokens-scopes-title"
        group
      >
        <Grid.Root gap={4}>
          {availableScopes.data.map((scope) => {
            const checked = scopes.includes(scope.uid);
            return (
              <Grid.Item key={scope.uid} col={6} s={12} direction="column" alignItems="stretch">
                <Box
                  padding={4}
                  hasRadius
                  borderColor={checked ? 'primary600' : 'neutral200'}
                  background={checked ? 'primary100' : 'neutral0'}
                  height="100%"
                >
                  <Flex direction="column" alignItems="stretch" gap={1}>
                    <Checkbox
                      name="scopes"
                      value={scope.uid}
                      checked={checked}
                      onCheckedChange={(value: boolean | 'indeterminate') => toggleScope(scope.uid, value === true)}
                    >
                      {scope.displayName}
                    </Checkbox>
                    <Box paddingLeft={7}>
                      <Monospace variant="pi" textColor="neutral600">
                        {scope.uid}
                      </Monospace>
                      {scope.description ? (
                        <Typography variant="pi" textColor="neutral600" tag="p">
                          {scope.description}
                        </Typography>
                      ) : null}
                    </Box>
                  </Flex>
                </Box>
              </Grid.Item>
            );
          })}
        </Grid.Root>
        {errors.scopes ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {errors.scopes}
          </Typography>
        ) : null}
      </FormSection>
      <FormSection
        title={t('tokens.create.restrictions', 'Restrictions')}
        hint={t(
          'tokens.create.restrictions.hint',
          'Optional. On which things the token may act, and from where. A request on anything else gets 403.'
        )}
      >
        <Flex direction="column" alignItems="stretch" gap={5}>
          <ResourcePicker
            value={resources}
            options={resourceOptions.byKind}
            errors={{
              models: errors['resources.models'],
              subscriptions: errors['resources.subscriptions'],
              embeds: errors['resources.embeds'],
            }}
            onChange={(next, kind) => {
              setResources(next);
              clearError(`resources.${kind}`);
            }}
          />
          <AllowedIpsField
            value={allowedIps}
            error={errors.allowedIps}
            onChange={(value) => {
              setAllowedIps(value);
              clearError('allowedIps');
            }}
          />
        </Flex>
      </FormSection>
    </FormPage>
  );
};
