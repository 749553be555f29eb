import type { SubscriptionDraft } from './subscriptionDraft';

/** Error messages by form field key (see `fieldKeyOf`). */
export type SubscriptionErrors = Record<string, string>;

/** The fields of the form outside the recipient rows and the inputs. */
const FIELDS = [
  'name',
  'target',
  'recipients',
  'format',
  'channel',
  'inputs',
  'schedule',
  'schedule.cron',
  'schedule.timezone',
  'enabled',
  'maxAttempts',
  'missedRunPolicy',
  'skipIfEmpty',
  'subject',
  'message',
];

/**
 * The form field a server error path belongs to: `recipients[1].email` → `recipients.1.email`, `target.id` →
 * `target`, `recipients[0].inputs.region` → `recipients.0.inputs.region`.
 */
export const fieldKeyOf = (path: string): string => {
  const key = path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
  return key.startsWith('target.') ? 'target' : key;
};

/** The keys the form shows errors under, for this draft and the target's input names. */
const shownKeysOf = (draft: SubscriptionDraft, inputNames: string[]) => {
  const keys = new Set(FIELDS);
  for (const name of inputNames) keys.add(`inputs.${name}`);
  draft.recipients.forEach((recipient, index) => {
    keys.add(`recipients.${index}`);
    keys.add(`recipients.${index}.email`);
    if (recipient.hasInputs) {
      keys.add(`recipients.${index}.inputs`);
      for (const name of inputNames) keys.add(`recipients.${index}.inputs.${name}`);
    }
  });
  return keys;
};

/** The errors no field of the form shows (an unknown key, an input the target no longer has), to list above it. */
export const otherErrorsOf = (
  errors: SubscriptionErrors,
  draft: SubscriptionDraft,
  inputNames: string[]
): [string, string][] => {
  const shown = shownKeysOf(draft, inputNames);
  return Object.entries(errors).filter(([key]) => !shown.has(key));
};

/** The errors under `prefix.` (e.g. a recipient's inputs by name), keyed by the rest of their key. */
export const errorsUnder = (errors: SubscriptionErrors, prefix: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(errors)
      .filter(([key]) => key.startsWith(`${prefix}.`))
      .map(([key, message]) => [key.slice(prefix.length + 1), message])
  );
