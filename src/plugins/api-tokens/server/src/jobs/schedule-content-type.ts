import { hiddenContentType } from '../utils/content-type';
import { MISSED_RUN_POLICIES } from './types';

export default hiddenContentType({
  collectionName: 'api_tokens_job_schedules',
  info: {
    singularName: 'job-schedule',
    pluralName: 'job-schedules',
    displayName: 'Job schedule',
    description: "A scheduled target's next occurrence: what the scheduler tick reads instead of evaluating every cron",
  },
  attributes: {
    // A registered JobKind's name.
    kind: { type: 'string', required: true },
    // The target's documentId (semantic model or subscription).
    targetId: { type: 'string', required: true },
    // `${kind}:${targetId}`: one schedule row per target.
    slot: { type: 'string', required: true, column: { unique: true } },
    cron: { type: 'string', required: true },
    timezone: { type: 'string', required: true },
    missedRunPolicy: { type: 'enumeration', enum: [...MISSED_RUN_POLICIES], required: true },
    // The earliest occurrence not yet claimed or skipped; the tick reads the rows where it has passed.
    nextRunAt: { type: 'datetime', required: true },
    // The occurrence after nextRunAt (null when the cron has no further one): when it has not passed yet, nextRunAt
    // is the only due occurrence and the tick claims it without evaluating the cron.
    followingRunAt: { type: 'datetime' },
  },
  indexes: [{ name: 'api_tokens_job_schedules_due_idx', columns: ['next_run_at'] }],
});
