import { hiddenContentType } from '../utils/content-type';
import { RUN_STATUSES, RUN_TRIGGERS } from './types';

export default hiddenContentType({
  collectionName: 'api_tokens_job_runs',
  info: {
    singularName: 'job-run',
    pluralName: 'job-runs',
    displayName: 'Job run',
    description: 'One run of a registered job kind (e.g. a semantic-model refresh): the job ledger and its claims',
  },
  attributes: {
    // A registered JobKind's name: a plain string, so a new kind needs no schema change.
    kind: { type: 'string', required: true },
    // The target's documentId (semantic model or subscription).
    targetId: { type: 'string', required: true },
    status: { type: 'enumeration', enum: [...RUN_STATUSES], required: true, default: 'queued' },
    trigger: { type: 'enumeration', enum: [...RUN_TRIGGERS], required: true },
    // The cron occurrence a scheduled run (and its retries) belongs to; null for on-demand runs.
    scheduledFor: { type: 'datetime' },
    // A queued run is not claimed before this (retry backoff); null means at once.
    notBefore: { type: 'datetime' },
    attempt: { type: 'integer', default: 1 },
    leaseOwner: { type: 'string', private: true },
    // Written anew by every claim of the run: only the runner holding it may renew, commit or finish.
    fence: { type: 'string', private: true },
    leaseExpiresAt: { type: 'datetime' },
    heartbeatAt: { type: 'datetime' },
    error: { type: 'text' },
    stats: { type: 'json' },
    // What this run does differently from its target's saved settings (e.g. a subscription's input values).
    params: { type: 'json', private: true },
    // The API token's documentId, for api triggers.
    tokenId: { type: 'string' },
    // Unique per caller: (kind, target, token, key).
    idempotencyKey: { type: 'string' },
    // Equal across the retries of one occurrence: `${kind}:${targetId}:${scheduledFor ISO}`, or the first attempt's id.
    deliveryKey: { type: 'string' },
    // `${kind}:${scheduledFor ISO}:${targetId}:${attempt}`: the exactly-once claim of a scheduled occurrence.
    occurrenceKey: { type: 'string', column: { unique: true } },
    // `${kind}:${targetId}` while queued or running, null once finished: at most one active run per target.
    activeKey: { type: 'string', private: true, column: { unique: true } },
    // True on a failed run that was followed by a retry (it does not count towards auto-disable).
    retried: { type: 'boolean', default: false },
    startedAt: { type: 'datetime' },
    finishedAt: { type: 'datetime' },
    cancelRequestedAt: { type: 'datetime' },
  },
  // A target's latest occurrence (schedule sync) and its run history.
  indexes: [
    { name: 'api_tokens_job_runs_target_idx', columns: ['kind', 'target_id', 'scheduled_for'] },
    // An Idempotency-Key belongs to the token that sent it: two tokens' equal keys are two requests.
    {
      name: 'api_tokens_job_runs_idempotency_uq',
      columns: ['kind', 'target_id', 'token_id', 'idempotency_key'],
      type: 'unique',
    },
  ],
});
