import * as React from 'react';
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';
import { statusOf } from '../utils/errors';
import type { Run } from './runs';

export type ModelStatus = 'empty' | 'refreshing' | 'ready' | 'failed';

export type ColumnType = 'string' | 'integer' | 'float' | 'boolean' | 'date' | 'datetime';

export interface Column {
  name: string;
  type: ColumnType | string;
}

export interface ContentTypeSource {
  type: 'content-type';
  uid: string;
  fields: string[];
}

/** `content-type` is built in; other source types may be registered by the app. */
export type ModelSource = ContentTypeSource | { type: string; [key: string]: unknown };

export type RefreshConfig = { mode: 'manual' } | { mode: 'scheduled'; cron: string; timezone: string };

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
  columns: Column[] | null;
  createdAt: string;
  updatedAt: string;
}

export interface ModelInput {
  name: string;
  source: ModelSource;
  refresh: RefreshConfig;
}

export interface ModelSources {
  types: { type: string; displayName: string }[];
  contentTypes: { uid: string; displayName: string; fields: Column[] }[];
}

export interface ModelPreview {
  columns: Column[];
  rows: Record<string, unknown>[];
}

const BASE = '/api-tokens';
const modelPath = (documentId: string) => `${BASE}/semantic-models/${encodeURIComponent(documentId)}`;

/** Calls to the plugin's semantic-model admin routes; `useFetchClient` adds the admin JWT. */
export const useSemanticModelsApi = () => {
  const { get, post, put, del } = useFetchClient();

  return React.useMemo(
    () => ({
      listModels: async () => (await get<{ data: SemanticModel[] }>(`${BASE}/semantic-models`)).data.data,
      getModel: async (documentId: string) => (await get<{ data: SemanticModel }>(modelPath(documentId))).data.data,
      listSources: async () => (await get<{ data: ModelSources }>(`${BASE}/semantic-model-sources`)).data.data,
      createModel: async (input: ModelInput) =>
        (await post<{ data: SemanticModel }>(`${BASE}/semantic-models`, input)).data.data,
      updateModel: async (documentId: string, input: Partial<ModelInput>) =>
        (await put<{ data: SemanticModel }>(modelPath(documentId), input)).data.data,
      deleteModel: async (documentId: string) => (await del<{ data: SemanticModel }>(modelPath(documentId))).data.data,
      /** 202 with the queued run; a 409 `ConflictError` (see `activeRunIdOf`) while one is active. */
      refreshModel: async (documentId: string) =>
        (await post<{ data: Run }>(`${modelPath(documentId)}/refresh`)).data.data,
      previewModel: async (documentId: string, limit = 50) =>
        (await get<{ data: ModelPreview }>(`${modelPath(documentId)}/preview`, { params: { limit } })).data.data,
      /** The next `count` occurrences of a cron in a time zone, as ISO strings. */
      schedulePreview: async (cron: string, timezone: string, count = 5, signal?: AbortSignal) =>
        (
          await get<{ data: { next: string[] } }>(`${BASE}/schedule-preview`, {
            params: { cron, timezone, count },
            signal,
          })
        ).data.data.next,
    }),
    [get, post, put, del]
  );
};

/** The active run's id from the 409 a refresh answers while one is queued or running. */
export const activeRunIdOf = (error: unknown): string | null => {
  if (!isFetchError(error)) return null;
  const body = error.response?.data?.error as any;
  if (body?.name !== 'ConflictError' && statusOf(error) !== 409) return null;
  const runId = body?.details?.runId;
  return typeof runId === 'string' && runId ? runId : null;
};

/** The 400 the preview answers for a model without a snapshot. */
export const isNotRefreshedYet = (error: unknown) =>
  isFetchError(error) && /not been refreshed yet/i.test(String(error.response?.data?.error?.message ?? ''));
