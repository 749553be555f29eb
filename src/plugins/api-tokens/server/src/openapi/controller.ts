import type { Context } from 'koa';
import { getService } from '../utils/get-service';

export default {
  /** Public: the OpenAPI document of the external API. */
  async document(ctx: Context) {
    ctx.body = getService('openapi').document();
  },
};
