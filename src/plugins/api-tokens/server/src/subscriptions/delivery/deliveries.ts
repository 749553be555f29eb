import type { Core } from '@strapi/strapi';
import type { Delivery } from '../../shared/types';
import type { DeliveryStatus } from '../types';

export const DELIVERY_UID = 'plugin::api-tokens.delivery';

type Row = Record<string, any>;

export interface DeliveryOutcome {
  subscriptionId: string;
  runId: string;
  deliveryKey: string;
  email: string;
  channel: string;
  status: DeliveryStatus;
  response?: string | null;
  error?: string | null;
}

const serialize = (row: Row): Delivery => ({
  id: row.id,
  runId: row.runId,
  deliveryKey: row.deliveryKey,
  email: row.email,
  channel: row.channel,
  status: row.status,
  attempts: row.attempts ?? 0,
  response: row.response ?? null,
  error: row.error ?? null,
  updatedAt: row.updatedAt instanceof Date ? row.updatedAt.toISOString() : row.updatedAt,
});

/**
 * Per-recipient outcomes, one row per (run, address). A run asks which addresses its delivery key (shared by the
 * retries of one occurrence) has already reached and mails only the others, so a retry never mails anyone twice.
 */
const deliveries = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(DELIVERY_UID);

  return {
    /** The addresses already `sent` (or `skipped`) under this key, lower-cased. */
    async doneUnder(deliveryKey: string): Promise<Set<string>> {
      const rows = await query().findMany({
        where: { deliveryKey, status: { $in: ['sent', 'skipped'] } },
        select: ['email'],
      });
      return new Set(rows.map((row: Row) => row.email));
    },

    /**
     * Records this run's one attempt at a recipient (a run tries each recipient once), counting the earlier runs of
     * its key that tried them.
     */
    async record(outcome: DeliveryOutcome): Promise<Delivery> {
      const email = outcome.email.toLowerCase();
      const earlier = await query().count({
        where: { deliveryKey: outcome.deliveryKey, email },
      });
      const row = await query().create({
        data: {
          subscriptionId: outcome.subscriptionId,
          runId: outcome.runId,
          deliveryKey: outcome.deliveryKey,
          email,
          channel: outcome.channel,
          status: outcome.status,
          attempts: Number(earlier) + 1,
          response: outcome.response ?? null,
          error: outcome.error ?? null,
        },
      });
      return serialize(row);
    },

    /** A subscription's outcomes, newest first; only those a run wrote when `runId` is given. */
    async list(subscriptionId: string, { runId, limit = 200 }: { runId?: string; limit?: number } = {}) {
      const rows = await query().findMany({
        where: { subscriptionId, ...(runId ? { runId } : {}) },
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        limit,
      });
      return rows.map(serialize);
    },

    async deleteOf(subscriptionId: string) {
      await query().deleteMany({ where: { subscriptionId } });
    },
  };
};

export type DeliveriesService = ReturnType<typeof deliveries>;
export default deliveries;
