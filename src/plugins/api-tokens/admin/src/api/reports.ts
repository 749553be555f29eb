import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import type { Report, ReportBody, ReportInputOptions, ReportResult } from '../../../server/src/shared/types';
import { dataParams } from './data-params';
import type { Pagination } from './runs';

export type {
  Aggregate,
  AggregateFn,
  Bucket,
  ChartSpec,
  ChartType,
  FilterInput,
  GroupByInput,
  InputType,
  Operator,
  QuerySpec,
  Report,
  ReportBody,
  ReportInput,
  ReportInputOptions,
  ReportResult,
  ResultColumn,
  Sort,
} from '../../../server/src/shared/types';

/** Input values as the data routes take them: `inputs[name]=value` (a multi-select repeats the name). */
export type InputValues = Record<string, string | string[] | undefined>;

const BASE = '/api-tokens';
const reportPath = (documentId: string) => `${BASE}/reports/${encodeURIComponent(documentId)}`;

/** Calls to the plugin's report admin routes (`plugin::api-tokens.reports.*`); `useFetchClient` adds the admin JWT. */
export const useReportsApi = () => {
  const { get, post, put, del } = useFetchClient();

  return React.useMemo(
    () => ({
      listReports: async () => (await get<{ data: Report[] }>(`${BASE}/reports`)).data.data,
      getReport: async (documentId: string) => (await get<{ data: Report }>(reportPath(documentId))).data.data,
      createReport: async (body: ReportBody) => (await post<{ data: Report }>(`${BASE}/reports`, body)).data.data,
      updateReport: async (documentId: string, body: Partial<ReportBody>) =>
        (await put<{ data: Report }>(reportPath(documentId), body)).data.data,
      /** 409 `REPORT_IN_USE` while a dashboard shows it. */
      deleteReport: async (documentId: string) => (await del<{ data: Report }>(reportPath(documentId))).data.data,
      /** One page of the report's result; 409 `MODEL_NOT_READY` before its model's first refresh. */
      reportData: async (
        documentId: string,
        { inputs, page, pageSize }: { inputs?: InputValues; page?: number; pageSize?: number } = {},
        signal?: AbortSignal
      ) =>
        (
          await get<{ data: ReportResult; meta: { pagination: Pagination } }>(`${reportPath(documentId)}/data`, {
            params: dataParams({ inputs, page, pageSize }),
            signal,
          })
        ).data,
      reportInputs: async (documentId: string, signal?: AbortSignal) =>
        (await get<{ data: ReportInputOptions[] }>(`${reportPath(documentId)}/inputs`, { signal })).data.data,
      /**
       * The result of an unsaved report body, for the editor's live preview: the first `pageSize` rows with the
       * inputs' defaults applied. Validation errors come back as a 400 naming the field.
       */
      previewReport: async (body: ReportBody, signal?: AbortSignal) =>
        (
          await post<{ data: ReportResult & { inputs: ReportInputOptions[] } }>(`${BASE}/report-preview`, body, {
            signal,
          })
        ).data.data,
    }),
    [get, post, put, del]
  );
};

/** react-query keys of the report queries; invalidating `reportKeys.all` refetches every one of them. */
export const reportKeys = {
  all: ['api-tokens', 'reports'] as const,
  list: () => [...reportKeys.all, 'list'] as const,
  detail: (documentId: string) => [...reportKeys.all, 'detail', documentId] as const,
  data: (documentId: string, params: { inputs: InputValues; page: number; pageSize: number }) =>
    [...reportKeys.all, 'detail', documentId, 'data', params] as const,
  inputs: (documentId: string) => [...reportKeys.all, 'detail', documentId, 'inputs'] as const,
  preview: (body: ReportBody) => [...reportKeys.all, 'preview', body] as const,
};
