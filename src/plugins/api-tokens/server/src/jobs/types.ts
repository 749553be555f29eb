import type { Knex } from 'knex';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const RUN_TRIGGERS = ['api', 'schedule', 'admin'] as const;
export const MISSED_RUN_POLICIES = ['skip', 'once'] as const;

/** A registered JobKind's name (`refresh`, `subscription`, …): the registry, not this type, knows which exist. */
export type RunKind = string;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

export interface RunStats {
  rows?: number;
  recipients?: number;
  bytes?: number;
  /** Deliveries: recipients reached and not reached. */
  sent?: number;
  failed?: number;
  /** Why a run succeeded without doing its work, e.g. `empty` for a skip-if-empty subscription with no rows. */
  skipped?: string;
}

/** The public run object (DESIGN.md section 3). `id` is the run's documentId. */
export interface Run {
  id: string;
  kind: RunKind;
  targetId: string;
  status: RunStatus;
  trigger: RunTrigger;
  scheduledFor: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempt: number;
  error: string | null;
  stats: RunStats;
  /** A queued retry is not started before this. */
  notBefore: string | null;
  /** Set when a running run was asked to stop; it becomes `cancelled` at its next page boundary. */
  cancelRequestedAt: string | null;
}

export interface Schedule {
  cron: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
}

/** What a target may leave to its kind's defaults. */
export interface JobDefaults {
  maxAttempts: number;
  missedRunPolicy: MissedRunPolicy;
}

/** A target (semantic model, subscription) as the job system sees it. */
export interface JobTarget extends Partial<JobDefaults> {
  id: string;
  schedule: Schedule | null;
  enabled: boolean;
  /** When the target (or its schedule) was created: occurrences before it are never run. */
  createdAt?: string | Date | null;
}

/** A target with its kind's defaults filled in, as the registry hands it to the ledger and the scheduler. */
export type ResolvedTarget = JobTarget & JobDefaults;

export interface RunContext {
  run: Run;
  /**
   * Equal across the retries of one occurrence: `kind:target:scheduledFor` (ISO) for a scheduled run, the first
   * attempt's run id for a triggered one. Record side effects (a mail to a recipient) under it to do each once.
   */
  deliveryKey: string;
  /** The params the run was triggered with (kept by its retries), or null. */
  params: Record<string, unknown> | null;
  /** Aborted when this runner lost the run (its lease expired and another took over) or a cancel was requested. */
  signal: AbortSignal;
  /** True once the run was cancelled or lost; executors check it at page boundaries and stop. */
  isCancelled(): Promise<boolean>;
  /** Extends the lease and records progress. */
  heartbeat(stats?: RunStats): Promise<void>;
  /**
   * Runs the final writes in one transaction, only while the run row still carries this runner's fence (and is
   * running); otherwise throws LeaseLost and writes nothing.
   */
  commit<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
}

/** What a capability registers so its targets can be run, scheduled and retried. */
export interface JobKind {
  /** The run kind, `^[a-z][a-z0-9-]*$`: stored on runs and schedule rows as is. */
  kind: RunKind;
  /** The scope an API token needs to trigger, read or cancel runs of this kind. */
  scope: string;
  /** What a target is called, e.g. `Semantic model`: "Semantic model not found", and the 409 of a busy target. */
  label: string;
  /** Applied to targets that leave them out. */
  defaults: JobDefaults;
  findTarget(targetId: string): Promise<JobTarget | null>;
  /**
   * Every target that has a schedule. The scheduler reconciles its schedule rows with this on its first tick and every
   * `scheduler.reconcileSeconds`; between those, the kind calls `schedules.sync()` when a target's schedule changes.
   */
  listScheduled(): Promise<JobTarget[]>;
  execute(context: RunContext): Promise<RunStats>;
  /** Called when the target is auto-disabled after too many consecutive failures. */
  disable(targetId: string, reason: string): Promise<void>;
}
