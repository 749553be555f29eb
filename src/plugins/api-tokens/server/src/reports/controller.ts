import type { Context } from 'koa';
import { readerOf } from '../semantic-models/controller';
import { getService } from '../utils/get-service';
import {
  validateCreateReport,
  validateDataQuery,
  validatePreviewQuery,
  validatePreviewReport,
  validateUpdateReport,
} from './validation';

export default {
  async find(ctx: Context) {
    ctx.body = { data: await getService('reports').list() };
  },

  async findOne(ctx: Context) {
    ctx.body = { data: await getService('reports').findOne(ctx.params.id) };
  },

  async create(ctx: Context) {
    const input = await validateCreateReport(ctx.request.body);
    ctx.status = 201;
    ctx.body = { data: await getService('reports').create(input, readerOf(ctx)) };
  },

  async update(ctx: Context) {
    const input = await validateUpdateReport(ctx.request.body);
    ctx.body = { data: await getService('reports').update(ctx.params.id, input, readerOf(ctx)) };
  },

  async delete(ctx: Context) {
    ctx.body = { data: await getService('reports').delete(ctx.params.id) };
  },

  async data(ctx: Context) {
    const { inputs, page, pageSize } = await validateDataQuery(ctx.query);
    const { result, pagination } = await getService('reports').data(
      ctx.params.id,
      inputs,
      { page, pageSize },
      readerOf(ctx)
    );
    ctx.body = { data: result, meta: { pagination } };
  },

  async inputs(ctx: Context) {
    ctx.body = { data: await getService('reports').inputs(ctx.params.id, readerOf(ctx)) };
  },

  async preview(ctx: Context) {
    const pageSize = await validatePreviewQuery(ctx.query);
    const body = await validatePreviewReport(ctx.request.body);
    ctx.body = { data: await getService('reports').preview(body, pageSize, readerOf(ctx)) };
  },
};
