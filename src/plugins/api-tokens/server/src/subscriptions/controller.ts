import type { Context } from 'koa';
import { respondAccepted } from '../jobs/controller';
import { parseIdempotencyKey } from '../jobs/validation';
import { getService } from '../utils/get-service';
import {
  validateCreateSubscription,
  validateDeliveriesQuery,
  validateTrigger,
  validateUpdateSubscription,
} from './validation';

export default {
  async find(ctx: Context) {
    ctx.body = { data: await getService('subscriptions').list() };
  },

  async findOne(ctx: Context) {
    ctx.body = { data: await getService('subscriptions').findOne(ctx.params.id) };
  },

  async create(ctx: Context) {
    const input = await validateCreateSubscription(ctx.request.body);
    ctx.status = 201;
    ctx.body = { data: await getService('subscriptions').create(input) };
  },

  async update(ctx: Context) {
    const input = await validateUpdateSubscription(ctx.request.body);
    ctx.body = { data: await getService('subscriptions').update(ctx.params.id, input) };
  },

  async delete(ctx: Context) {
    ctx.body = { data: await getService('subscriptions').delete(ctx.params.id) };
  },

  /** The channels a subscription may deliver through. */
  async channels(ctx: Context) {
    ctx.body = { data: getService('channels').list() };
  },

  /** Admin: "Send now", with the subscription's own input values. */
  async send(ctx: Context) {
    respondAccepted(ctx, await getService('subscriptions').send(ctx.params.id, { trigger: 'admin' }));
  },

  async deliveries(ctx: Context) {
    const { runId } = await validateDeliveriesQuery(ctx.query);
    ctx.body = { data: await getService('subscriptions').deliveries(ctx.params.id, runId) };
  },

  /** Content API: an external app triggers a run, optionally with input values for this run only. */
  async trigger(ctx: Context) {
    const { inputs } = await validateTrigger(ctx.request.body);
    const run = await getService('subscriptions').send(ctx.params.id, {
      trigger: 'api',
      tokenId: ctx.state.apiToken.documentId,
      idempotencyKey: parseIdempotencyKey(ctx.request.headers['idempotency-key']),
      inputs,
    });
    respondAccepted(ctx, run);
  },
};
