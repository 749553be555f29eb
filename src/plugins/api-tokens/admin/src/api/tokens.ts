import * as React from 'react';
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';

export type TokenStatus = 'active' | 'expiring-soon' | 'expired' | 'revoked';

export interface Token {
  id: number;
  documentId: string;
  name: string;
  description: string | null;
  scopes: string[];
  hint: string;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  createdAt: string;
  updatedAt: string;
  status: TokenStatus;
  createdBy: { id: number; firstname: string | null; lastname: string | null } | null;
}

/** Returned once, by create and regenerate. Keep it in component state only. */
export interface TokenWithSecret extends Token {
  accessKey: string;
}

export interface Scope {
  uid: string;
  displayName: string;
  description?: string;
}

/** Exactly one of the two is set. */
export type ExpiryInput = { expiresInDays: 30 | 60 | 90 } | { expiresAt: string };

export type CreateTokenInput = { name: string; description?: string; scopes: string[] } & ExpiryInput;

const BASE = '/api-tokens';

/** Calls to the plugin's admin routes; `useFetchClient` adds the admin JWT. */
export const useTokensApi = () => {
  const { get, post } = useFetchClient();

  return React.useMemo(
    () => ({
      listTokens: async () => (await get<{ data: Token[] }>(`${BASE}/tokens`)).data.data,
      listScopes: async () => (await get<{ data: Scope[] }>(`${BASE}/scopes`)).data.data,
      createToken: async (input: CreateTokenInput) =>
        (await post<{ data: TokenWithSecret }>(`${BASE}/tokens`, input)).data.data,
      regenerateToken: async (documentId: string, expiry: ExpiryInput) =>
        (await post<{ data: TokenWithSecret }>(`${BASE}/tokens/${encodeURIComponent(documentId)}/regenerate`, expiry))
          .data.data,
      revokeToken: async (documentId: string) =>
        (await post<{ data: Token }>(`${BASE}/tokens/${encodeURIComponent(documentId)}/revoke`)).data.data,
    }),
    [get, post]
  );
};

/** `{ field: message }` from a ValidationError's `details.errors[].path[0]`. */
export const fieldErrorsOf = (error: unknown): Record<string, string> => {
  if (!isFetchError(error)) return {};
  const errors = (error.response?.data?.error as any)?.details?.errors;
  if (!Array.isArray(errors)) return {};
  const out: Record<string, string> = {};
  for (const item of errors) {
    const field = Array.isArray(item?.path) ? item.path[0] : undefined;
    if (typeof field === 'string' && !out[field]) out[field] = String(item.message);
  }
  return out;
};

/** The server's error message, or the fallback. */
export const errorMessageOf = (error: unknown, fallback: string): string => {
  if (isFetchError(error)) return error.response?.data?.error?.message || error.message || fallback;
  return fallback;
};

/** True for an aborted request (the component unmounted). */
export const isAbort = (error: unknown) => (error as Error)?.name === 'AbortError';
