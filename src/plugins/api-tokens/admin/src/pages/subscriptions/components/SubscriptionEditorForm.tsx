import * as React from 'react';
import { Grid, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import { useNavigate } from 'react-router-dom';
import {
  subscriptionKeys,
  useSubscriptionsApi,
  type Subscription,
  type SubscriptionBody,
} from '../../../api/subscriptions';
import type { InputValues } from '../../../api/reports';
import { FormPage } from '../../../components/FormPage';
import { FormSection } from '../../../components/FormSection';
import { InputControls } from '../../../components/InputControls';
import { OtherErrorsAlert } from '../../../components/OtherErrorsAlert';
import { TextField } from '../../../components/TextField';
import { browserTimeZone } from '../../../components/TimeZoneField';
import { ToggleField } from '../../../components/ToggleField';
import { hasFiveFields } from '../../../utils/cron';
import { reportSaveError } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';
import { retryUnlessClientError } from '../../../utils/queryRetry';
import { useFormErrors } from '../../../utils/useFormErrors';
import { NAME_MAX_LENGTH } from '../../../../../server/src/shared/limits';
import { bodyOf, changesOf, draftOf, emptyDraft, type SubscriptionDraft } from '../subscriptionDraft';
import { errorsUnder, fieldKeyOf, otherErrorsOf, type SubscriptionErrors } from '../subscriptionErrors';
import { useTargetInputs } from '../useTargetInputs';
import { MessageFields } from './MessageFields';
import { RecipientFields } from './RecipientFields';
import { ScheduleSection } from './ScheduleSection';
import { TargetFields } from './TargetFields';

/** Create (no subscription) and edit a subscription. */
export const SubscriptionEditorForm = ({ subscription }: { subscription: Subscription | null }) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const api = useSubscriptionsApi();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const zone = React.useMemo(browserTimeZone, []);

  const [draft, setDraft] = React.useState<SubscriptionDraft>(() =>
    subscription ? draftOf(subscription, zone) : emptyDraft(zone)
  );
  const { errors, setErrors } = useFormErrors<string>();
  const errorOf = (key: string): string | undefined => errors[key];

  const channels = useQuery(subscriptionKeys.channels(), () => api.listChannels(), {
    staleTime: Infinity,
    retry: retryUnlessClientError,
  });
  const targetInputs = useTargetInputs(draft.targetId ? { type: draft.targetType, id: draft.targetId } : null);
  const inputs = targetInputs.data ?? [];
  // A recipient's controls start from the subscription's values, which replace the target's defaults.
  const recipientInputs = inputs.map((input) => ({ ...input, default: draft.inputs[input.name] ?? input.default }));
  const otherErrors = otherErrorsOf(
    errors as SubscriptionErrors,
    draft,
    inputs.map((input) => input.name)
  );

  /** Applies an edit and clears the errors under the edited field (a list's key clears its rows' too). */
  const edit = (patch: Partial<SubscriptionDraft>, edited: string) => {
    setDraft((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const kept = Object.entries(current).filter(([key]) => key !== edited && !key.startsWith(`${edited}.`));
      return kept.length === Object.keys(current).length ? current : Object.fromEntries(kept);
    });
  };

  const save = useMutation(
    (body: Partial<SubscriptionBody>) =>
      subscription
        ? api.updateSubscription(subscription.documentId, body)
        : api.createSubscription(body as SubscriptionBody),
    {
      onSuccess: (saved) => {
        queryClient.setQueryData(subscriptionKeys.detail(saved.documentId), saved);
        void queryClient.invalidateQueries(subscriptionKeys.list());
      },
    }
  );

  const validate = (): SubscriptionErrors => {
    const found: SubscriptionErrors = {};
    if (!draft.name.trim()) found.name = t('subscriptions.editor.error.name.required', 'Give the subscription a name');
    else if (draft.name.trim().length > NAME_MAX_LENGTH)
      found.name = t('subscriptions.editor.error.name.max', 'The name can have at most 100 characters');
    if (!draft.targetId) {
      found.target =
        draft.targetType === 'report'
          ? t('subscriptions.editor.error.report.required', 'Pick a report')
          : t('subscriptions.editor.error.dashboard.required', 'Pick a dashboard');
    }
    if (draft.recipients.length === 0)
      found.recipients = t('subscriptions.editor.error.recipients.required', 'Add at least one recipient');
    draft.recipients.forEach((recipient, index) => {
      if (!recipient.email.trim())
        found[`recipients.${index}.email`] = t('subscriptions.editor.error.email.required', 'Type an email address');
    });
    if (draft.scheduled) {
      if (!draft.cron.trim())
        found['schedule.cron'] = t('subscriptions.editor.error.cron.required', 'Type a cron expression');
      else if (!hasFiveFields(draft.cron))
        found['schedule.cron'] = t(
          'schedule.error.cron.fields',
          'Use exactly five fields: minute, hour, day of month, month, day of week'
        );
      if (!draft.timezone)
        found['schedule.timezone'] = t('subscriptions.editor.error.timezone.required', 'Choose a time zone');
    }
    return found;
  };

  const handleSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    const invalidMessage = t('subscriptions.editor.error.form', 'Check the highlighted fields');
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      toggleNotification({ type: 'warning', message: invalidMessage });
      return;
    }
    const body = bodyOf(draft);
    try {
      const saved = await save.mutateAsync(subscription ? changesOf(body, subscription, zone) : body);
      toggleNotification({
        type: 'success',
        message: subscription
          ? t('subscriptions.editor.saved', 'Saved “{name}”', { name: saved.name })
          : t('subscriptions.editor.created', 'Created “{name}”', { name: saved.name }),
      });
      navigate(`../${saved.documentId}`, { replace: true });
    } catch (error) {
      reportSaveError(error, {
        fieldOf: fieldKeyOf,
        setErrors: (next) => setErrors(next as SubscriptionErrors),
        notify: toggleNotification,
        invalidMessage,
        failedMessage: t('subscriptions.editor.error.generic', 'The subscription could not be saved'),
      });
    }
  };

  const title = subscription
    ? t('subscriptions.editor.editTitle', 'Edit “{name}”', { name: subscription.name })
    : t('subscriptions.editor.createTitle', 'Create a subscription');

  return (
    <FormPage
      title={title}
      subtitle={t(
        'subscriptions.editor.subtitle',
        'Deliver a report or a dashboard to its recipients on a schedule, or whenever an app triggers it.'
      )}
      backTo={subscription ? `../${subscription.documentId}` : '..'}
      submitLabel={
        subscription ? t('subscriptions.editor.save', 'Save') : t('subscriptions.editor.create', 'Create subscription')
      }
      isSubmitting={save.isLoading}
      onSubmit={handleSubmit}
    >
      <OtherErrorsAlert
        title={t('subscriptions.editor.otherErrors', 'The server refused the subscription')}
        closeLabel={t('subscriptions.close', 'Close')}
        errors={otherErrors}
      />
      <FormSection title={t('subscriptions.editor.details', 'Details')}>
        <Grid.Root gap={5}>
          <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
            <TextField
              name="name"
              required
              label={t('subscriptions.editor.name', 'Name')}
              hint={t('subscriptions.editor.name.hint', 'E.g. "Weekly sales". At most 100 characters.')}
              error={errorOf('name')}
              value={draft.name}
              maxLength={NAME_MAX_LENGTH}
              onChange={(name) => edit({ name }, 'name')}
            />
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <ToggleField
              name="enabled"
              label={t('subscriptions.editor.enabled', 'Enabled')}
              hint={t('subscriptions.editor.enabled.hint', 'A disabled subscription is neither scheduled nor sent.')}
              error={errorOf('enabled')}
              onLabel={t('subscriptions.editor.on', 'On')}
              offLabel={t('subscriptions.editor.off', 'Off')}
              checked={draft.enabled}
              onChange={(enabled) => edit({ enabled }, 'enabled')}
            />
          </Grid.Item>
        </Grid.Root>
      </FormSection>

      <FormSection title={t('subscriptions.editor.content', 'What is sent')}>
        <TargetFields
          type={draft.targetType}
          id={draft.targetId}
          savedName={subscription?.target.id === draft.targetId ? subscription.targetName : null}
          error={errorOf('target')}
          onChange={(target) =>
            // Another target has other inputs: the values set for the old one mean nothing now.
            edit(
              {
                targetType: target.type,
                targetId: target.id,
                inputs: {},
                recipients: draft.recipients.map((recipient) => ({ ...recipient, inputs: {} })),
              },
              'target'
            )
          }
        />
        <MessageFields
          draft={draft}
          channels={channels.data ?? []}
          errorOf={errorOf}
          onChange={(patch, edited) => edit(patch, edited)}
        />
      </FormSection>

      {inputs.length > 0 ? (
        <FormSection
          title={t('subscriptions.editor.inputs', 'Data inputs')}
          hint={t(
            'subscriptions.editor.inputs.hint',
            'The values every recipient gets, unless they have their own. Left alone, an input takes the report’s default.'
          )}
        >
          <InputControls
            inputs={inputs}
            values={draft.inputs}
            errors={errorsUnder(errors as SubscriptionErrors, 'inputs')}
            onChange={(name, value) =>
              edit({ inputs: { ...draft.inputs, [name]: value } as InputValues }, `inputs.${name}`)
            }
          />
          {errorOf('inputs') ? (
            <Typography variant="pi" textColor="danger600" role="alert">
              {errorOf('inputs')}
            </Typography>
          ) : null}
        </FormSection>
      ) : null}

      <FormSection
        title={t('subscriptions.editor.recipients', 'Recipients')}
        hint={t(
          'subscriptions.editor.recipients.hint',
          'Each gets one mail. A recipient with their own input values gets the report rendered for them.'
        )}
      >
        <RecipientFields
          rows={draft.recipients}
          inputs={recipientInputs}
          errors={errors as SubscriptionErrors}
          errorOf={errorOf}
          onChange={(recipients, edited) => edit({ recipients }, edited)}
        />
      </FormSection>

      <FormSection title={t('subscriptions.editor.schedule', 'Schedule')}>
        <ScheduleSection draft={draft} errorOf={errorOf} onChange={(patch, edited) => edit(patch, edited)} />
      </FormSection>
    </FormPage>
  );
};
