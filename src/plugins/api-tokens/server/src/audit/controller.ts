import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { serializeEvents } from './serialize';
import { parseListAuditEventsQuery } from './validation';

export default {
  /** Admin: audit events, newest first, filtered and paged. */
  async find(ctx: Context) {
    const { filters, pagination } = await parseListAuditEventsQuery(ctx.query);
    const { results, pagination: meta } = await getService('audit').list(filters, pagination);
    ctx.body = { data: await serializeEvents(strapi, results), meta: { pagination: meta } };
  },
};
