import type { Core } from '@strapi/strapi';
import { RUN_KIND_SCOPES, type JobKind, type JobTarget } from '../jobs/types';
import { getService } from '../utils/get-service';
import { MODEL_UID, RefreshCancelled } from './service';

const toTarget = (row: Record<string, any>): JobTarget => ({
  id: row.documentId,
  schedule: row.refresh?.mode === 'scheduled' ? { cron: row.refresh.cron, timezone: row.refresh.timezone } : null,
  enabled: !row.scheduleDisabledReason,
  maxAttempts: 3,
  missedRunPolicy: 'once',
  createdAt: row.createdAt,
});

/** Semantic-model refreshes as runs of the job system: triggered, scheduled, retried, cancelled at page boundaries. */
export const createRefreshJob = (strapi: Core.Strapi): JobKind => ({
  kind: 'refresh',
  scope: RUN_KIND_SCOPES.refresh,

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
      async onPage(done) {
        await context.heartbeat({ rows: done });
        if (await context.isCancelled()) throw new RefreshCancelled();
      },
    });
    return { rows };
  },

  async disable(targetId, reason) {
    await strapi.db
      .query(MODEL_UID)
      .update({ where: { documentId: targetId }, data: { scheduleDisabledReason: reason } });
  },
});
