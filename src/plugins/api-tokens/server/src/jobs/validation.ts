import { errors, yup } from '@strapi/utils';
import { fieldError } from '../utils/errors';
import { paginationFields, paginationOf, queryValidator, validator } from '../utils/validation';
import { validateSchedule } from './cron';
import { getService } from '../utils/get-service';
import { RUN_STATUSES, RUN_TRIGGERS, type RunKind, type RunStatus, type RunTrigger } from './types';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const registeredKinds = () =>
  getService('runs')
    .listKinds()
    .map((kind) => kind.kind);

const listRunsQuerySchema = yup
  .object({
    kind: yup
      .string()
      .typeError('kind must be a string')
      .test(
        'registered',
        () => `kind must be one of ${registeredKinds().join(', ')}`,
        (value) => value === undefined || registeredKinds().includes(value)
      ),
    status: yup
      .string()
      .typeError('status must be a string')
      .oneOf([...RUN_STATUSES], `status must be one of ${RUN_STATUSES.join(', ')}`),
    trigger: yup
      .string()
      .typeError('trigger must be a string')
      .oneOf([...RUN_TRIGGERS], `trigger must be one of ${RUN_TRIGGERS.join(', ')}`),
    targetId: yup.string().typeError('targetId must be a string').max(100, 'targetId must be at most 100 characters'),
    ...paginationFields,
  })
  .noUnknown(true, 'Unknown query parameter(s): ${unknown}');

const validateListQuery = validator(listRunsQuerySchema);

export interface ListRunsQuery {
  filters: { kind?: RunKind; status?: RunStatus; trigger?: RunTrigger; targetId?: string };
  page: number;
  pageSize: number;
}

/** `GET /api-tokens/runs?kind=&status=&trigger=&targetId=&page=&pageSize=` → filters and pagination, or a 400. */
export const parseListRunsQuery = async (query: unknown): Promise<ListRunsQuery> => {
  const { kind, status, trigger, targetId, page, pageSize } = await validateListQuery(query ?? {});
  return {
    filters: {
      kind: kind as RunKind | undefined,
      status: status as RunStatus | undefined,
      trigger: trigger as RunTrigger | undefined,
      targetId,
    },
    ...paginationOf({ page, pageSize }),
  };
};

/** The `Idempotency-Key` header of a trigger request: null when absent, a 400 when malformed. */
export const parseIdempotencyKey = (header: string | string[] | undefined): string | null => {
  if (header === undefined || header === '') return null;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw new errors.ValidationError('Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return header;
};

const schedulePreviewQuery = yup
  .object({
    cron: yup.string().required('cron is required'),
    timezone: yup.string().required('timezone is required'),
    count: yup
      .number()
      .typeError('count must be a number')
      .integer('count must be an integer')
      .min(1, 'count must be at least 1')
      .max(20, 'count must be at most 20')
      .default(5),
  })
  .noUnknown(true, 'Unknown query parameter(s): ${unknown}');

/** `GET /api-tokens/schedule-preview?cron=&timezone=&count=`: a valid schedule and how many runs to show, or a 400. */
export const parseSchedulePreviewQuery = async (query: unknown, minIntervalSeconds: number) => {
  const { cron, timezone, count } = await queryValidator(schedulePreviewQuery)(query ?? {});
  const problem = validateSchedule({ cron, timezone }, minIntervalSeconds);
  if (problem) throw fieldError(problem.startsWith('timezone') ? 'timezone' : 'cron', problem);
  return { schedule: { cron, timezone }, count: count as number };
};
