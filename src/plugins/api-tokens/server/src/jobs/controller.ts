import type { Context } from 'koa';
import { getConfig } from '../config';
import { getService } from '../utils/get-service';
import type { Run } from './types';
import { nextOccurrences } from './cron';
import { parseListRunsQuery, parseSchedulePreviewQuery } from './validation';

/** 202 `{data: run}` with `Location: /api/api-tokens/runs/:runId`, for the kind-specific trigger routes. */
export const respondAccepted = (ctx: Context, run: Run) => {
  ctx.status = 202;
  ctx.set('Location', `/api/api-tokens/runs/${encodeURIComponent(run.id)}`);
  ctx.body = { data: run };
};

export default {
  /** Admin: the run history, newest first. */
  async find(ctx: Context) {
    const { filters, page, pageSize } = await parseListRunsQuery(ctx.query);
    const { results, pagination } = await getService('runs').list(filters, { page, pageSize });
    ctx.body = { data: results, meta: { pagination } };
  },

  async findOne(ctx: Context) {
    ctx.body = { data: await getService('runs').get(ctx.params.runId) };
  },

  /** Admin: cancel a queued or running run (404 unknown, 409 `RUN_FINISHED`), recorded in the audit log. */
  async cancelFromAdmin(ctx: Context) {
    const by = { actor: `admin:${ctx.state.user.id}`, ip: ctx.request.ip ?? null };
    ctx.body = { data: await getService('runs').cancel(ctx.params.runId, by) };
  },

  /** Admin: the next occurrences of a schedule, for the "next runs" preview of the editors. */
  async schedulePreview(ctx: Context) {
    const { schedule, count } = await parseSchedulePreviewQuery(ctx.query, getConfig().minScheduleIntervalSeconds);
    ctx.body = { data: { next: nextOccurrences(schedule, count, new Date()).map((date) => date.toISOString()) } };
  },

  /** Content API: poll a run (found and authorized by the has-scope policy's `runKind`). */
  async show(ctx: Context) {
    ctx.body = { data: ctx.state.run };
  },

  /** Content API: cancel a queued or running run (found and authorized by the has-scope policy's `runKind`). */
  async cancel(ctx: Context) {
    const by = { actor: `token:${ctx.state.apiToken.documentId}`, ip: ctx.request.ip ?? null };
    ctx.body = { data: await getService('runs').cancel(ctx.state.run.id, by) };
  },
};
