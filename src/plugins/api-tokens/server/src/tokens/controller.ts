import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import type { Actor } from './service';
import { validateCreateToken, validateRegenerateToken, validateUpdateToken } from './validation';

const adminActor = (ctx: Context): Actor => ({ type: 'admin', id: ctx.state.user.id, ip: ctx.request.ip });

export default {
  async find(ctx: Context) {
    ctx.body = { data: await getService('tokens').list() };
  },

  async findOne(ctx: Context) {
    ctx.body = { data: await getService('tokens').findOne(ctx.params.id) };
  },

  async create(ctx: Context) {
    const input = await validateCreateToken(ctx.request.body);
    ctx.status = 201;
    ctx.body = { data: await getService('tokens').create(input, adminActor(ctx)) };
  },

  async update(ctx: Context) {
    const input = await validateUpdateToken(ctx.request.body);
    ctx.body = { data: await getService('tokens').update(ctx.params.id, input, adminActor(ctx)) };
  },

  async regenerate(ctx: Context) {
    const expiry = await validateRegenerateToken(ctx.request.body);
    ctx.status = 201;
    ctx.body = { data: await getService('tokens').regenerate(ctx.params.id, expiry, adminActor(ctx)) };
  },

  async revoke(ctx: Context) {
    ctx.body = { data: await getService('tokens').revoke(ctx.params.id, adminActor(ctx)) };
  },

  async scopes(ctx: Context) {
    ctx.body = { data: getService('scopes').list() };
  },

  /** Content API: what the bearer token itself is. */
  async self(ctx: Context) {
    const { name, scopes, expiresAt } = ctx.state.apiToken;
    ctx.body = { data: { name, scopes, expiresAt } };
  },
};
