import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Column, ModelInput, Run, SemanticModel } from '../../../server/src/shared/types';
import { errorCodeOf } from '../utils/errors';

export type {
  Column,
  ColumnType,
  ModelInput,
  ModelSource,
  ModelStatus,
  RefreshConfig,
  SemanticModel,
} from '../../../server/src/shared/types';

export interface ModelSources {
  types: { type: string; displayName: string }[];
  /** `locales`: for a localized type, the locales this admin may read, the default first; empty otherwise. */
  contentTypes: { uid: string; displayName: string; fields: Column[]; locales: string[] }[];
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
      /** 202 with the queued run; a 409 `RUN_ACTIVE` (see `activeRunIdOf` in api/runs) while one is active. */
      refreshModel: async (documentId: string) =>
        (await post<{ data: Run }>(`${modelPath(documentId)}/refresh`)).data.data,
      previewModel: async (documentId: string, limit = 50) =>
        (await get<{ data: ModelPreview }>(`${modelPath(documentId)}/preview`, { params: { limit } })).data.data,
    }),
    [get, post, put, del]
  );
};

/** The 409 (`MODEL_NOT_READY`) the preview answers for a model without a snapshot. */
export const isNotRefreshedYet = (error: unknown) => errorCodeOf(error) === 'MODEL_NOT_READY';

/** react-query keys of the semantic-model queries. */
export const modelKeys = {
  all: ['api-tokens', 'semantic-models'] as const,
  list: () => [...modelKeys.all, 'list'] as const,
  detail: (documentId: string) => [...modelKeys.all, 'detail', documentId] as const,
  /** The source types and content types a model may read; they change only with the app's schema. */
  sources: () => [...modelKeys.all, 'sources'] as const,
};
