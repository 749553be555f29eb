import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Pagination } from './runs';

export type { AuditEvent } from '../../../server/src/audit/types';
import type { AuditEvent } from '../../../server/src/audit/types';

/** Exact-match filters of the audit log; empty ones are left out. */
export interface AuditFilters {
  action?: string;
  subjectType?: string;
  subjectId?: string;
  actor?: string;
}

export interface AuditPage {
  data: AuditEvent[];
  meta: { pagination: Pagination };
}

export type AuditQuery = AuditFilters & { page?: number; pageSize?: number };

const BASE = '/api-tokens';

/** Calls to the audit admin route (`plugin::api-tokens.audit.read`). */
export const useAuditApi = () => {
  const { get } = useFetchClient();

  return React.useMemo(
    () => ({
      /** Newest first. */
      listEvents: async (query: AuditQuery) => {
        const params = Object.fromEntries(
          Object.entries(query).filter(([, value]) => value !== undefined && value !== '')
        );
        return (await get<AuditPage>(`${BASE}/audit-events`, { params })).data;
      },
    }),
    [get]
  );
};

/** react-query keys of the audit queries; invalidating `auditKeys.all` refetches every page of events. */
export const auditKeys = {
  all: ['api-tokens', 'audit-events'] as const,
  list: (query: AuditQuery) => [...auditKeys.all, 'list', query] as const,
};
