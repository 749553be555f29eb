import type { Context } from 'koa';
import { errors } from '@strapi/utils';
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

/** The run of `:runId` if the bearer token holds the scope of its kind: 404 for an unknown run, else 403. */
const authorizedRun = async (ctx: Context): Promise<Run> => {
  const runs = getService('runs');
  const run = await runs.get(ctx.params.runId);
  const scope = runs.scopeOf(run.kind);
  const token = ctx.state.apiToken;
  if (!token.scopes.includes(scope)) {
    getService('audit').recordSampled(
      `scope:${token.id}`,
      {
        action: 'token.denied',
        subjectType: 'api-token',
        subjectId: token.documentId,
        actor: `token:${token.documentId}`,
        ip: ctx.request.ip ?? null,
        details: { reason: 'scope', method: ctx.method, path: ctx.path, requiredScopes: [scope] },
      },
      getConfig().deniedAuditSampleSeconds
    );
    throw new errors.PolicyError(`This API token lacks the required scope(s): ${scope}`, { requiredScopes: [scope] });
  }
  return run;
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

  /** Admin: the next occurrences of a schedule, for the "next runs" preview of the editors. */
  async schedulePreview(ctx: Context) {
    const { schedule, count } = await parseSchedulePreviewQuery(ctx.query, getConfig().minScheduleIntervalSeconds);
    ctx.body = { data: { next: nextOccurrences(schedule, count, new Date()).map((date) => date.toISOString()) } };
  },

  /** Content API: poll a run. */
  async show(ctx: Context) {
    ctx.body = { data: await authorizedRun(ctx) };
  },

  /** Content API: cancel a queued or running run. */
  async cancel(ctx: Context) {
    const run = await authorizedRun(ctx);
    ctx.body = { data: await getService('runs').cancel(run.id) };
  },
};
