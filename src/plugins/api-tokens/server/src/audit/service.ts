import type { Core } from '@strapi/strapi';
import { AUDIT_ACTIONS } from './content-type';

export const AUDIT_UID = 'plugin::api-tokens.audit-event';

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  tokenId?: string | null;
  actor?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

const audit = ({ strapi }: { strapi: Core.Strapi }) => {
  const lastSampled = new Map<string, number>();

  const record = async (entry: AuditEntry): Promise<void> => {
    await strapi.db.query(AUDIT_UID).create({ data: entry });
  };

  return {
    record,

    /**
     * Records a denied request at most once per `sampleSeconds` for the same reason and subject, so a client
     * hammering with a bad token cannot flood the table. Never awaited by the request.
     */
    recordSampled(key: string, entry: AuditEntry, sampleSeconds: number, now = Date.now()): boolean {
      const last = lastSampled.get(key);
      if (last !== undefined && now - last < sampleSeconds * 1000) return false;
      lastSampled.set(key, now);
      if (lastSampled.size > 10_000) lastSampled.clear();
      record(entry).catch((error) => strapi.log.warn(`api-tokens: could not record audit event: ${error}`));
      return true;
    },

    async list(filters: { tokenId?: string; action?: AuditAction } = {}, limit = 100) {
      return strapi.db.query(AUDIT_UID).findMany({
        where: filters,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        limit,
      });
    },
  };
};

export type AuditService = ReturnType<typeof audit>;
export default audit;
