/**
 * The shapes of the admin API, shared by the server and the admin panel. The admin imports them with `import type`,
 * which its build erases, so no server code reaches the browser bundle.
 */
import type { Column } from '../semantic-models/sources';
import type { MODEL_STATUSES } from '../semantic-models/content-type';
import type { QuerySpec, ResultColumn } from '../query/types';
import type { MissedRunPolicy, RunStatus, Schedule } from '../jobs/types';
import type { DeliveryStatus, Recipient, SubscriptionFormat } from '../subscriptions/types';

export type { Run } from '../jobs/types';
export type { Column, ColumnType } from '../semantic-models/sources';
export type { ErrorCode } from './error-codes';

export type ModelStatus = (typeof MODEL_STATUSES)[number];

export type RefreshConfig = { mode: 'manual' } | { mode: 'scheduled'; cron: string; timezone: string };

/** `content-type` is built in (`{type, uid, fields}`); apps may register other source types. */
export interface ModelSource {
  type: string;
  [key: string]: unknown;
}

/** What creating a model takes (an update takes any part of it). */
export interface ModelInput {
  name: string;
  source: ModelSource;
  refresh: RefreshConfig;
}

/** A semantic model as the admin routes answer it. */
export interface SemanticModel {
  id: number;
  documentId: string;
  name: string;
  source: ModelSource;
  refresh: RefreshConfig;
  status: ModelStatus;
  lastRefreshedAt: string | null;
  rowCount: number;
  lastError: string | null;
  scheduleDisabledReason: string | null;
  /** When the scheduler refreshes it next; null for manual or disabled schedules. */
  nextRefreshAt: string | null;
  /** The served snapshot's columns; null before the first refresh. */
  columns: Column[] | null;
  createdAt: string;
  updatedAt: string;
}

export type {
  Aggregate,
  AggregateFn,
  Bucket,
  FilterInput,
  GroupByInput,
  Operator,
  QuerySpec,
  ResultColumn,
  Sort,
} from '../query/types';

export type ChartType = 'table' | 'bar' | 'line' | 'pie' | 'kpi';

/**
 * How a report draws its result. `x` is a result column (bar, line, pie); `y` the result columns plotted (a pie and a
 * kpi take one). A table needs neither.
 */
export interface ChartSpec {
  type: ChartType;
  x?: string;
  y?: string[];
}

export type InputType = 'single-select' | 'multi-select';

/**
 * A data input: a control whose options are the distinct values of `column` in the model's current snapshot. Its
 * value filters the report (`EQUALS` / `IN`). `default` is a string (single) or strings (multi). A `required` input
 * without a value or a default gets a 400.
 */
export interface ReportInput {
  name: string;
  column: string;
  type: InputType;
  default?: string | string[] | null;
  required?: boolean;
}

/**
 * Embedding: `embedId` is a random 8-char base62 id, set once embedding is enabled; embed tokens issued before
 * `revokedBefore` (ISO) are refused.
 */
export interface EmbedSettings {
  enabled: boolean;
  allowedOrigins: string[];
  embedId?: string | null;
  revokedBefore?: string | null;
}

/** What creating a report takes (an update takes any part of it). */
export interface ReportBody {
  name: string;
  /** The semantic model's documentId. */
  semanticModel: string;
  query: QuerySpec;
  chart: ChartSpec;
  inputs?: ReportInput[];
  /** IANA zone for date buckets; UTC when absent. */
  timezone?: string | null;
  embed?: { enabled: boolean; allowedOrigins?: string[] };
}

export interface Report {
  id: number;
  documentId: string;
  name: string;
  semanticModel: string;
  query: QuerySpec;
  chart: ChartSpec;
  inputs: ReportInput[];
  timezone: string | null;
  embed: EmbedSettings;
  createdAt: string;
  updatedAt: string;
}

/** `GET /reports/:id/data` and each item of a dashboard's data. */
export interface ReportResult {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
}

/** `GET /reports/:id/inputs`: each input with the values it may take now. */
export interface ReportInputOptions extends ReportInput {
  default: string | string[] | null;
  options: unknown[];
}

export interface DashboardItem {
  /** The report's documentId. */
  report: string;
  /** Grid columns out of 12. */
  width: number;
}

export interface DashboardBody {
  name: string;
  items: DashboardItem[];
  embed?: { enabled: boolean; allowedOrigins?: string[] };
}

export interface Dashboard {
  id: number;
  documentId: string;
  name: string;
  items: DashboardItem[];
  embed: EmbedSettings;
  createdAt: string;
  updatedAt: string;
}

/** `GET /dashboards/:id/data`: one entry per item, in item order, with what its tile draws. */
export interface DashboardItemResult extends ReportResult {
  report: string;
  name: string;
  chart: ChartSpec;
}

export type {
  DeliveryStatus,
  Recipient,
  SubscriptionFormat,
} from '../subscriptions/types';

export interface SubscriptionTarget {
  type: 'report' | 'dashboard';
  /** The report's or dashboard's documentId. */
  id: string;
}

/** What creating a subscription takes (an update takes any part of it). */
export interface SubscriptionBody {
  name: string;
  target: SubscriptionTarget;
  recipients: Recipient[];
  format: SubscriptionFormat;
  /** The delivery channel; `email` unless an app registered another. */
  channel?: string;
  inputs?: Record<string, string | string[]>;
  schedule: Schedule | null;
  enabled?: boolean;
  maxAttempts?: number;
  missedRunPolicy?: MissedRunPolicy;
  skipIfEmpty?: boolean;
  subject?: string | null;
  message?: string | null;
}

export interface Subscription extends Required<Omit<SubscriptionBody, 'subject' | 'message'>> {
  id: number;
  documentId: string;
  subject: string | null;
  message: string | null;
  /** The target's name, or null when it was deleted. */
  targetName: string | null;
  /** When the scheduler runs it next; null without a schedule or when disabled. */
  nextRunAt: string | null;
  lastRun: { id: string; status: RunStatus; finishedAt: string | null } | null;
  /** Why the scheduler stopped it (too many consecutive failures), or null. */
  scheduleDisabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One recipient's outcome under one delivery key (`GET /subscriptions/:id/deliveries`). */
export interface Delivery {
  id: number;
  /** The run that last tried this recipient. */
  runId: string;
  deliveryKey: string;
  email: string;
  channel: string;
  status: DeliveryStatus;
  attempts: number;
  /** The SMTP response (or the channel's receipt) of the delivery that got through. */
  response: string | null;
  /** Why the last attempt failed, or null. */
  error: string | null;
  updatedAt: string;
}
