import type { InputValues } from '../../api/reports';
import type {
  Recipient,
  Subscription,
  SubscriptionBody,
  SubscriptionFormat,
  SubscriptionTarget,
} from '../../api/subscriptions';
import { newKey } from '../../utils/rows';

/** The editor's state: the subscription body with keyed recipient rows, and text where the form has text. */
export interface RecipientDraft {
  key: string;
  email: string;
  /** Whether the recipient gets their own input values (data-driven delivery). */
  hasInputs: boolean;
  inputs: InputValues;
}

export interface SubscriptionDraft {
  name: string;
  targetType: SubscriptionTarget['type'];
  /** The report's or dashboard's documentId; empty until picked. */
  targetId: string;
  recipients: RecipientDraft[];
  format: SubscriptionFormat;
  channel: string;
  /** Only the inputs the editor set; the others take the target's defaults. An empty value asks for no filter. */
  inputs: InputValues;
  scheduled: boolean;
  cron: string;
  timezone: string;
  enabled: boolean;
  maxAttempts: number | undefined;
  missedRunPolicy: NonNullable<SubscriptionBody['missedRunPolicy']>;
  skipIfEmpty: boolean;
  subject: string;
  message: string;
}

export const DEFAULT_CHANNEL = 'email';
export const FORMATS: SubscriptionFormat[] = ['pdf', 'xlsx', 'csv', 'html'];

export const newRecipient = (email = ''): RecipientDraft => ({ key: newKey(), email, hasInputs: false, inputs: {} });

export const emptyDraft = (timezone: string): SubscriptionDraft => ({
  name: '',
  targetType: 'report',
  targetId: '',
  recipients: [newRecipient()],
  format: 'pdf',
  channel: DEFAULT_CHANNEL,
  inputs: {},
  scheduled: false,
  // Mondays at 08:00, once the schedule is switched on.
  cron: '0 8 * * 1',
  timezone,
  enabled: true,
  maxAttempts: 3,
  missedRunPolicy: 'once',
  skipIfEmpty: false,
  subject: '',
  message: '',
});

export const draftOf = (subscription: Subscription, timezone: string): SubscriptionDraft => ({
  name: subscription.name,
  targetType: subscription.target.type,
  targetId: subscription.target.id,
  recipients: subscription.recipients.map((recipient) => ({
    key: newKey(),
    email: recipient.email,
    hasInputs: Boolean(recipient.inputs && Object.keys(recipient.inputs).length > 0),
    inputs: { ...(recipient.inputs ?? {}) },
  })),
  format: subscription.format,
  channel: subscription.channel || DEFAULT_CHANNEL,
  inputs: { ...(subscription.inputs ?? {}) },
  scheduled: subscription.schedule !== null,
  cron: subscription.schedule?.cron ?? emptyDraft(timezone).cron,
  timezone: subscription.schedule?.timezone ?? timezone,
  enabled: subscription.enabled,
  maxAttempts: subscription.maxAttempts,
  missedRunPolicy: subscription.missedRunPolicy,
  skipIfEmpty: subscription.skipIfEmpty,
  subject: subscription.subject ?? '',
  message: subscription.message ?? '',
});

/** The values set, without the ones left to their default. */
const valuesOf = (inputs: InputValues): Record<string, string | string[]> =>
  Object.fromEntries(
    Object.entries(inputs).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
  );

const recipientOf = (recipient: RecipientDraft): Recipient => {
  const inputs = recipient.hasInputs ? valuesOf(recipient.inputs) : {};
  return Object.keys(inputs).length > 0 ? { email: recipient.email.trim(), inputs } : { email: recipient.email.trim() };
};

export const bodyOf = (draft: SubscriptionDraft): SubscriptionBody => ({
  name: draft.name.trim(),
  target: { type: draft.targetType, id: draft.targetId },
  recipients: draft.recipients.map(recipientOf),
  format: draft.format,
  channel: draft.channel,
  inputs: valuesOf(draft.inputs),
  schedule: draft.scheduled ? { cron: draft.cron.trim(), timezone: draft.timezone } : null,
  enabled: draft.enabled,
  ...(draft.maxAttempts !== undefined ? { maxAttempts: draft.maxAttempts } : {}),
  missedRunPolicy: draft.missedRunPolicy,
  skipIfEmpty: draft.skipIfEmpty,
  subject: draft.subject.trim() || null,
  message: draft.message.trim() || null,
});

/**
 * What an update sends: only the fields that differ from the saved subscription (re-sending an unchanged schedule
 * would re-enable one the scheduler turned off).
 */
export const changesOf = (body: SubscriptionBody, saved: Subscription, timezone: string): Partial<SubscriptionBody> => {
  const before = bodyOf(draftOf(saved, timezone)) as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(body).filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(before[field]))
  ) as Partial<SubscriptionBody>;
};
