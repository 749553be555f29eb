import type { Context } from 'koa';
import { respondAccepted } from '../jobs/controller';
import { parseIdempotencyKey } from '../jobs/validation';
import { getService } from '../utils/get-service';
import { readableContentTypes } from './content-type-source';
import type { SourceReader } from './sources';
import { validateCreateModel, validatePreviewQuery, validateUpdateModel, validateValuesQuery } from './validation';

/** The admin behind a request, whose content-manager permissions bound the sources they may use. */
export const readerOf = (ctx: Context): SourceReader => ({ ability: ctx.state.userAbility, user: ctx.state.user });

export default {
  async find(ctx: Context) {
    ctx.body = { data: await getService('semantic-models').list() };
  },

  async findOne(ctx: Context) {
    ctx.body = { data: await getService('semantic-models').findOne(ctx.params.id) };
  },

  async create(ctx: Context) {
    const input = await validateCreateModel(ctx.request.body);
    ctx.status = 201;
    ctx.body = { data: await getService('semantic-models').create(input, readerOf(ctx)) };
  },

  async update(ctx: Context) {
    const input = await validateUpdateModel(ctx.request.body);
    ctx.body = { data: await getService('semantic-models').update(ctx.params.id, input, readerOf(ctx)) };
  },

  async delete(ctx: Context) {
    ctx.body = { data: await getService('semantic-models').delete(ctx.params.id) };
  },

  async preview(ctx: Context) {
    const { limit } = await validatePreviewQuery(ctx.query);
    ctx.body = { data: await getService('semantic-models').preview(ctx.params.id, limit, readerOf(ctx)) };
  },

  async values(ctx: Context) {
    const { column, order, limit } = await validateValuesQuery(ctx.query);
    ctx.body = {
      data: await getService('semantic-models').distinctValues(
        ctx.params.id,
        column,
        { order: order as 'asc' | 'desc', limit },
        readerOf(ctx)
      ),
    };
  },

  /** Admin "Refresh now": 202 with the queued run; 409 while one is active. */
  async refresh(ctx: Context) {
    respondAccepted(
      ctx,
      await getService('runs').trigger({ kind: 'refresh', targetId: ctx.params.id, trigger: 'admin' })
    );
  },

  /** Content API: an external app asks for a refresh, then polls the run at `Location`. */
  async requestRefresh(ctx: Context) {
    const run = await getService('runs').trigger({
      kind: 'refresh',
      targetId: ctx.params.id,
      trigger: 'api',
      tokenId: ctx.state.apiToken.documentId,
      idempotencyKey: parseIdempotencyKey(ctx.request.headers['idempotency-key']),
    });
    respondAccepted(ctx, run);
  },

  /** What the model editor offers: the source types, and the content types and fields this admin may read. */
  async sources(ctx: Context) {
    ctx.body = {
      data: {
        types: getService('sources').list(),
        contentTypes: await readableContentTypes(strapi, readerOf(ctx)),
      },
    };
  },
};
