import type { Core } from '@strapi/strapi';
import { LeaseLost } from '../jobs/errors';
import type { JobKind, JobTarget } from '../jobs/types';
import { getService } from '../utils/get-service';
import { MODEL_UID, RefreshCancelled } from './service';

const toTarget = (row: Record<string, any>): JobTarget => ({
  id: row.documentId,
  schedule: row.refresh?.mode === 'scheduled' ? { cron: row.refresh.cron, timezone: row.refresh.timezone } : null,
  enabled: !row.scheduleDisabledReason,
  createdAt: row.createdAt,
});

/** Semantic-model refreshes as runs of the job system: triggered, scheduled, retried, cancelled at page boundaries. */
export const createRefreshJob = (strapi: Core.Strapi): JobKind => ({
  kind: 'refresh',
  scope: 'semantic-models:refresh',
  label: 'Semantic model',
  defaults: { maxAttempts: 3, missedRunPolicy: 'once' },

  async findTarget(targetId) {
    const row = await strapi.db.query(MODEL_UID).findOne({ where: { documentId: targetId } });
    return row ? toTarget(row) : null;
  },

  async listScheduled() {
    const rows = await strapi.db
      .query(MODEL_UID)
      .findMany({ select: ['id', 'documentId', 'refresh', 'scheduleDisabledReason', 'createdAt'] });
    return rows.map(toTarget).filter((target) => target.schedule !== null);
  },

  async execute(context) {
    const { rows } = await getService('semantic-models').refresh(context.run.targetId, {
      runId: context.run.id,
      async onPage(done) {
        await context.heartbeat({ rows: done });
        if (await context.isCancelled()) {
          // A runner that lost the run stops without touching the model: the attempt that took over owns it.
          throw context.signal.reason instanceof LeaseLost ? context.signal.reason : new RefreshCancelled();
        }
      },
      // The pointer swap and the clean-up happen only while this runner still holds the run.
      commit: (fn) => context.commit(fn),
    });
    return { rows };
  },

  async disable(targetId, reason) {
    await strapi.db
      .query(MODEL_UID)
      .update({ where: { documentId: targetId }, data: { scheduleDisabledReason: reason } });
  },
});
