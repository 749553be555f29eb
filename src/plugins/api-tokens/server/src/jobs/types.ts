export const RUN_KINDS = ['refresh', 'subscription'] as const;
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const RUN_TRIGGERS = ['api', 'schedule', 'admin'] as const;
export const MISSED_RUN_POLICIES = ['skip', 'once'] as const;

export type RunKind = (typeof RUN_KINDS)[number];

/** The scope an API token needs for runs of each kind (a registered JobKind's `scope` must match). */
export const RUN_KIND_SCOPES: Record<RunKind, string> = {
  refresh: 'semantic-models:refresh',
  subscription: 'subscriptions:execute',
};
export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

export interface RunStats {
  rows?: number;
  recipients?: number;
  bytes?: number;
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

/** A target (semantic model, subscription) as the job system sees it. */
export interface JobTarget {
  id: string;
  schedule: Schedule | null;
  enabled: boolean;
  maxAttempts: number;
  missedRunPolicy: MissedRunPolicy;
  /** When the target (or its schedule) was created: occurrences before it are never run. */
  createdAt?: string | Date | null;
}

export interface RunContext {
  run: Run;
  /** True once the run was cancelled; executors check it at page boundaries and stop. */
  isCancelled(): Promise<boolean>;
  /** Extends the lease and records progress. */
  heartbeat(stats?: RunStats): Promise<void>;
}

/** What a capability registers so its targets can be run, scheduled and retried. */
export interface JobKind {
  kind: RunKind;
  /** The scope an API token needs to trigger, read or cancel runs of this kind. */
  scope: string;
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
