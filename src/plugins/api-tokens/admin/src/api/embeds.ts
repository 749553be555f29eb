import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { EmbedSettings, FilterInput } from '../../../server/src/shared/types';
import type { PlaygroundTarget } from '../../../server/src/embeds/playground';
import type { EmbedPermission, EmbedType, IssuedEmbedToken } from '../../../server/src/embeds/types';
import type { AuditPage } from './audit';

export type { EmbedPermission, EmbedType, IssuedEmbedToken } from '../../../server/src/embeds/types';

export type { PlaygroundTarget } from '../../../server/src/embeds/playground';

export interface PlaygroundBody {
  type: EmbedType;
  embedId: string;
  permissions: EmbedPermission[];
  filters?: FilterInput[];
  /** Minutes, capped at 15 by the server. */
  sessionLength?: number;
}

const BASE = '/api-tokens';
const SECTIONS: Record<EmbedType, string> = { card: 'reports', story: 'dashboards' };

/** The viewer's paths on this server (the first is ours, the second Domo's alias). */
export const viewerPaths = (type: EmbedType, embedId: string) => {
  const id = encodeURIComponent(embedId);
  return type === 'card' ? [`/embed/cards/${id}`, `/cards/${id}`] : [`/embed/stories/${id}`, `/embed/pages/${id}`];
};

/** Calls to the embed admin routes (`reports.update`/`dashboards.update`, `embeds.playground`, `audit.read`). */
export const useEmbedsApi = () => {
  const { get, post, put } = useFetchClient();

  return React.useMemo(
    () => ({
      /** Turns embedding on or off through the report's (or dashboard's) own update: the updated document. */
      setEnabled: async (type: EmbedType, documentId: string, embed: EmbedSettings, enabled: boolean) =>
        (
          await put<{ data: unknown }>(`${BASE}/${SECTIONS[type]}/${encodeURIComponent(documentId)}`, {
            embed: { enabled, allowedOrigins: embed.allowedOrigins },
          })
        ).data.data,
      /** "Revoke every token issued before now": the updated embed settings. */
      revokeTokens: async (type: EmbedType, documentId: string) =>
        (
          await post<{ data: EmbedSettings }>(
            `${BASE}/${SECTIONS[type]}/${encodeURIComponent(documentId)}/embed/revoke-tokens`,
            {}
          )
        ).data.data,
      playgroundTarget: async (type: EmbedType, embedId: string) =>
        (await get<{ data: PlaygroundTarget }>(`${BASE}/embed-playground/${type}/${encodeURIComponent(embedId)}`)).data
          .data,
      /** A test token (15 minutes at most); 400 naming the body's fields. */
      mint: async (body: PlaygroundBody) =>
        (await post<{ data: IssuedEmbedToken }>(`${BASE}/embed-playground`, body)).data.data,
      /** Embed-token issues, uses and revocations, newest first. */
      activity: async (query: { page: number; pageSize: number }) =>
        (await get<AuditPage>(`${BASE}/embed-activity`, { params: query })).data,
    }),
    [get, post, put]
  );
};

export const embedKeys = {
  all: ['api-tokens', 'embeds'] as const,
  target: (type: EmbedType, embedId: string) => [...embedKeys.all, 'target', type, embedId] as const,
  activity: (query: { page: number; pageSize: number }) => [...embedKeys.all, 'activity', query] as const,
};
