import { yup } from '@strapi/utils';
import { getConfig } from '../config';
import { validateSchedule } from '../jobs/cron';
import { fieldError } from '../utils/errors';
import { getService } from '../utils/get-service';
import { bodySchema as body, nameSchema as name, queryValidator, UNKNOWN_KEYS, validator } from '../utils/validation';
import type { ModelInput } from './service';

const source = yup
  .object({ type: yup.string().typeError('source.type must be a string').required('source.type is required') })
  .typeError('source must be an object');

const refresh = yup
  .object({
    mode: yup
      .string()
      .oneOf(['manual', 'scheduled'], 'refresh.mode must be "manual" or "scheduled"')
      .required('refresh.mode is required'),
    cron: yup.string().typeError('refresh.cron must be a string'),
    timezone: yup.string().typeError('refresh.timezone must be a string'),
  })
  .typeError('refresh must be an object')
  .noUnknown(true, UNKNOWN_KEYS);

const validateCreateShape = validator(
  body({
    name: name.required('name is required'),
    source: source.required('source is required'),
    refresh: refresh.required('refresh is required'),
  })
);
const validateUpdateShape = validator(
  body({ name, source: source.default(undefined), refresh: refresh.default(undefined) }).test(
    'not-empty',
    'Provide name, source or refresh',
    (value: any) => !value || typeof value !== 'object' || Object.keys(value).length > 0
  )
);

/** Checks the parts the shape cannot: the source against its registered type, and the schedule. */
const validateParts = async (input: Partial<ModelInput>) => {
  if (input.source) {
    const type = getService('sources').get(input.source.type);
    if (!type) {
      const known = getService('sources')
        .list()
        .map((s) => s.type);
      throw fieldError('source.type', `source.type must be one of: ${known.join(', ')}`);
    }
    const problem = await type.validate(input.source);
    if (problem) throw fieldError(problem.path, problem.message);
  }
  if (input.refresh) {
    const { mode, cron, timezone } = input.refresh as { mode: string; cron?: string; timezone?: string };
    if (mode === 'manual' && (cron !== undefined || timezone !== undefined)) {
      throw fieldError('refresh.cron', 'refresh.cron and refresh.timezone apply only to refresh.mode "scheduled"');
    }
    if (mode === 'scheduled') {
      const problem = validateSchedule({ cron, timezone }, getConfig().minScheduleIntervalSeconds);
      if (problem)
        throw fieldError(problem.startsWith('timezone') ? 'refresh.timezone' : 'refresh.cron', `refresh.${problem}`);
    }
  }
};

export const validateCreateModel = async (raw: unknown): Promise<ModelInput> => {
  const input = (await validateCreateShape(raw)) as ModelInput;
  await validateParts(input);
  return input;
};

export const validateUpdateModel = async (raw: unknown): Promise<Partial<ModelInput>> => {
  const input = (await validateUpdateShape(raw)) as Partial<ModelInput>;
  await validateParts(input);
  return input;
};

const limit = (max: number) =>
  yup
    .number()
    .typeError('limit must be a number')
    .integer('limit must be an integer')
    .min(1, 'limit must be at least 1')
    .max(max, `limit must be at most ${max}`);

// Query strings are text, so these cast ("10" → 10) instead of validating strictly.
export const validatePreviewQuery = queryValidator(
  yup.object({ limit: limit(1000).default(50) }).noUnknown(true, UNKNOWN_KEYS)
);

export const validateValuesQuery = queryValidator(
  yup
    .object({
      column: yup.string().required('column is required'),
      order: yup.string().oneOf(['asc', 'desc'], 'order must be "asc" or "desc"').default('asc'),
      limit: limit(10000).default(1000),
    })
    .noUnknown(true, UNKNOWN_KEYS)
);
