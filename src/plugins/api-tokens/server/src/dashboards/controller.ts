import type { Context } from 'koa';
import { validateInputsQuery } from '../reports/validation';
import { readerOf } from '../semantic-models/controller';
import { getService } from '../utils/get-service';
import { validateCreateDashboard, validateUpdateDashboard } from './validation';

export default {
  async find(ctx: Context) {
    ctx.body = { data: await getService('dashboards').list() };
  },

  async findOne(ctx: Context) {
    ctx.body = { data: await getService('dashboards').findOne(ctx.params.id) };
  },

  async create(ctx: Context) {
    const input = await validateCreateDashboard(ctx.request.body);
    ctx.status = 201;
    ctx.body = { data: await getService('dashboards').create(input) };
  },

  async update(ctx: Context) {
    const input = await validateUpdateDashboard(ctx.request.body);
    ctx.body = { data: await getService('dashboards').update(ctx.params.id, input) };
  },

  async delete(ctx: Context) {
    ctx.body = { data: await getService('dashboards').delete(ctx.params.id) };
  },

  async data(ctx: Context) {
    const inputs = await validateInputsQuery(ctx.query);
    ctx.body = { data: await getService('dashboards').data(ctx.params.id, inputs, readerOf(ctx)) };
  },

  async inputs(ctx: Context) {
    ctx.body = { data: await getService('dashboards').inputs(ctx.params.id, readerOf(ctx)) };
  },
};
