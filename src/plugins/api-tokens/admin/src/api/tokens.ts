import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { ResourceKind, TokenResources } from '../../../server/src/tokens/resources';

export type { ResourceKind, TokenResources } from '../../../server/src/tokens/resources';

export type TokenStatus = 'active' | 'expiring-soon' | 'expired' | 'revoked';

export interface Token {
  id: number;
  documentId: string;
  name: string;
  description: string | null;
  scopes: string[];
  /** The targets it may act on, per kind; null (or a kind left out): any. */
  resources: TokenResources | null;
  /** CIDR ranges it may be used from; null: anywhere. */
  allowedIps: string[] | null;
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

interface Restrictions {
  resources?: TokenResources | null;
  allowedIps?: string[] | null;
}

export type CreateTokenInput = { name: string; description?: string; scopes: string[] } & Restrictions & ExpiryInput;

export type UpdateTokenInput = { name?: string; description?: string | null } & Restrictions;

/** Each kind a token can be restricted to, in the order the forms show them. */
export const RESOURCE_KIND_ORDER: ResourceKind[] = ['models', 'subscriptions', 'embeds'];

const BASE = '/api-tokens';

/** Calls to the plugin's admin routes; `useFetchClient` adds the admin JWT. */
export const useTokensApi = () => {
  const { get, post, put } = useFetchClient();

  return React.useMemo(
    () => ({
      listTokens: async () => (await get<{ data: Token[] }>(`${BASE}/tokens`)).data.data,
      getToken: async (documentId: string) =>
        (await get<{ data: Token }>(`${BASE}/tokens/${encodeURIComponent(documentId)}`)).data.data,
      updateToken: async (documentId: string, input: UpdateTokenInput) =>
        (await put<{ data: Token }>(`${BASE}/tokens/${encodeURIComponent(documentId)}`, input)).data.data,
      listScopes: async () => (await get<{ data: Scope[] }>(`${BASE}/scopes`)).data.data,
      createToken: async (input: CreateTokenInput) =>
        (await post<{ data: TokenWithSecret }>(`${BASE}/tokens`, input)).data.data,
      regenerateToken: async (documentId: string, expiry: ExpiryInput) =>
        (await post<{ data: TokenWithSecret }>(`${BASE}/tokens/${encodeURIComponent(documentId)}/regenerate`, expiry))
          .data.data,
      revokeToken: async (documentId: string) =>
        (await post<{ data: Token }>(`${BASE}/tokens/${encodeURIComponent(documentId)}/revoke`)).data.data,
    }),
    [get, post, put]
  );
};

/** react-query keys of the token queries; invalidating `tokenKeys.all` refetches every one of them. */
export const tokenKeys = {
  all: ['api-tokens', 'tokens'] as const,
  list: () => [...tokenKeys.all, 'list'] as const,
  detail: (documentId: string) => [...tokenKeys.all, 'detail', documentId] as const,
  /** The scopes a token may be granted; they change only with the server's code. */
  scopes: () => ['api-tokens', 'scopes'] as const,
};
