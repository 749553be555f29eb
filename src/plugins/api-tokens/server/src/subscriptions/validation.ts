import { yup } from '@strapi/utils';
import { getConfig } from '../config';
import { validateSchedule } from '../jobs/cron';
import { MISSED_RUN_POLICIES } from '../jobs/types';
import { MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH } from '../shared/limits';
import type { SubscriptionBody } from '../shared/types';
import { fieldError, fieldErrors } from '../utils/errors';
import { getService } from '../utils/get-service';
import { bodySchema as body, nameSchema as name, queryValidator, UNKNOWN_KEYS, validator } from '../utils/validation';
import { SUBSCRIPTION_FORMATS } from './types';

export const MAX_ATTEMPTS = 10;
/** RFC 5321's limit on a forward path. */
const EMAIL_MAX_LENGTH = 254;

type InputValues = Record<string, string | string[]>;

/** `{name: value | [values]}`: input values as reports take them. */
const inputValues = (path: string) =>
  yup.mixed<InputValues>().test('input-values', `${path} must be an object of strings or string arrays`, (value) => {
    if (value === undefined || value === null) return true;
    if (typeof value !== 'object' || Array.isArray(value)) return false;
    return Object.values(value).every(
      (item) => typeof item === 'string' || (Array.isArray(item) && item.every((entry) => typeof entry === 'string'))
    );
  });

const target = yup
  .object({
    type: yup
      .string()
      .oneOf(['report', 'dashboard'], 'target.type must be "report" or "dashboard"')
      .required('target.type is required'),
    id: yup.string().typeError('target.id must be a string').required('target.id is required'),
  })
  .typeError('target must be an object')
  .noUnknown(true, UNKNOWN_KEYS);

const recipient = yup
  .object({
    email: yup
      .string()
      .typeError('${path} must be a string')
      .max(EMAIL_MAX_LENGTH, `\${path} must be at most ${EMAIL_MAX_LENGTH} characters`)
      .email('${path} must be an email address')
      .required('${path} is required'),
    inputs: inputValues('inputs'),
  })
  .typeError('recipients must hold objects')
  .noUnknown(true, UNKNOWN_KEYS);

const schedule = yup
  .object({
    cron: yup.string().typeError('schedule.cron must be a string').required('schedule.cron is required'),
    timezone: yup.string().typeError('schedule.timezone must be a string').required('schedule.timezone is required'),
  })
  .nullable()
  .default(undefined)
  .typeError('schedule must be an object with cron and timezone, or null')
  .noUnknown(true, UNKNOWN_KEYS);

const fields = {
  name,
  target: target.default(undefined),
  recipients: yup.array().of(recipient).typeError('recipients must be an array'),
  format: yup.string().oneOf([...SUBSCRIPTION_FORMATS], `format must be one of ${SUBSCRIPTION_FORMATS.join(', ')}`),
  channel: yup.string().typeError('channel must be a string'),
  inputs: inputValues('inputs').nullable(),
  schedule,
  enabled: yup.boolean().typeError('enabled must be a boolean'),
  maxAttempts: yup
    .number()
    .typeError('maxAttempts must be a number')
    .integer('maxAttempts must be an integer')
    .min(1, 'maxAttempts must be at least 1')
    .max(MAX_ATTEMPTS, `maxAttempts must be at most ${MAX_ATTEMPTS}`),
  missedRunPolicy: yup
    .string()
    .oneOf([...MISSED_RUN_POLICIES], `missedRunPolicy must be one of ${MISSED_RUN_POLICIES.join(', ')}`),
  skipIfEmpty: yup.boolean().typeError('skipIfEmpty must be a boolean'),
  subject: yup
    .string()
    .nullable()
    .typeError('subject must be a string')
    .max(SUBJECT_MAX_LENGTH, `subject must be at most ${SUBJECT_MAX_LENGTH} characters`),
  message: yup
    .string()
    .nullable()
    .typeError('message must be a string')
    .max(MESSAGE_MAX_LENGTH, `message must be at most ${MESSAGE_MAX_LENGTH} characters`),
};

const validateCreateShape = validator(
  body({
    ...fields,
    name: name.required('name is required'),
    target: target.required('target is required'),
    recipients: fields.recipients.required('recipients is required'),
    format: fields.format.required('format is required'),
    schedule: schedule.defined('schedule is required (null for a subscription that only runs when triggered)'),
  })
);
const validateUpdateShape = validator(
  body(fields).test(
    'not-empty',
    'Provide at least one field to change',
    (value: any) => !value || typeof value !== 'object' || Object.keys(value).length > 0
  )
);

/** What the shape cannot check: the recipients' count and duplicates, the channel, and the schedule. */
const checkParts = (input: Partial<SubscriptionBody>) => {
  const { maxRecipients } = getConfig().subscriptions;
  if (input.recipients) {
    if (input.recipients.length === 0) throw fieldError('recipients', 'recipients must list at least one recipient');
    if (input.recipients.length > maxRecipients) {
      throw fieldError('recipients', `recipients takes at most ${maxRecipients} recipients`);
    }
    const seen = new Map<string, number>();
    const problems: { path: string[]; message: string }[] = [];
    input.recipients.forEach((entry, index) => {
      const key = entry.email.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else {
        problems.push({
          path: ['recipients', String(index), 'email'],
          message: `recipients[${index}].email repeats recipients[${first}].email (${entry.email})`,
        });
      }
    });
    if (problems.length > 0) throw fieldErrors(problems);
  }
  if (input.channel !== undefined && !getService('channels').get(input.channel)) {
    const known = getService('channels')
      .list()
      .map((channel) => channel.name);
    throw fieldError('channel', `channel must be one of: ${known.join(', ')}`);
  }
  if (input.schedule) {
    const problem = validateSchedule(input.schedule, getConfig().minScheduleIntervalSeconds);
    if (problem) {
      throw fieldError(problem.startsWith('timezone') ? 'schedule.timezone' : 'schedule.cron', `schedule.${problem}`);
    }
  }
};

export const validateCreateSubscription = async (raw: unknown): Promise<SubscriptionBody> => {
  const input = (await validateCreateShape(raw)) as SubscriptionBody;
  checkParts(input);
  return input;
};

export const validateUpdateSubscription = async (raw: unknown): Promise<Partial<SubscriptionBody>> => {
  const input = (await validateUpdateShape(raw)) as Partial<SubscriptionBody>;
  checkParts(input);
  return input;
};

const validateTriggerShape = validator(
  yup
    .object({ inputs: inputValues('inputs').nullable() })
    .typeError('The body must be a JSON object')
    .noUnknown(true, UNKNOWN_KEYS)
);

/** The optional body of a trigger: `{inputs?}`, this run's input values over the subscription's. */
export const validateTrigger = async (raw: unknown): Promise<{ inputs?: InputValues | null }> =>
  (await validateTriggerShape(raw ?? {})) as { inputs?: InputValues | null };

const validateDeliveriesShape = queryValidator(
  yup
    .object({
      runId: yup.string().typeError('runId must be a string').max(100, 'runId must be at most 100 characters'),
    })
    .noUnknown(true, 'Unknown query parameter(s): ${unknown}')
);

/** `GET /subscriptions/:id/deliveries?runId=`. */
export const validateDeliveriesQuery = async (query: unknown): Promise<{ runId?: string }> =>
  (await validateDeliveriesShape(query ?? {})) as { runId?: string };
