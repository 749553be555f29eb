/**
 * The shapes of the admin API, shared by the server and the admin panel. The admin imports them with `import type`,
 * which its build erases, so no server code reaches the browser bundle.
 */
import type { Column } from '../semantic-models/sources';
import type { MODEL_STATUSES } from '../semantic-models/content-type';

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
