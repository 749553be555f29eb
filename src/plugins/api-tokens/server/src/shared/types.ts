/**
 * The shapes of the admin API, shared by the server and the admin panel. The admin imports them with `import type`,
 * which its build erases, so no server code reaches the browser bundle.
 */
import type { Column } from '../semantic-models/sources';
import type { MODEL_STATUSES } from '../semantic-models/content-type';
import type { QuerySpec, ResultColumn } from '../query/types';

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

/** Embedding (the embed issue uses it): `embedId` is a random 8-char base62 id, set once embedding is enabled. */
export interface EmbedSettings {
  enabled: boolean;
  allowedOrigins: string[];
  embedId?: string | null;
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
