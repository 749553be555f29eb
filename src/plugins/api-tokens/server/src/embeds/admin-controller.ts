import type { Context } from 'koa';
import { serializeEvents } from '../audit/serialize';
import { getService } from '../utils/get-service';
import { parseActivityQuery, validatePlayground, validatePlaygroundTarget } from './admin-validation';
import type { EmbedType } from './types';

/** The audit actions of embed tokens: issued, used, revoked (by jti) and revoked-before (per embed). */
export const EMBED_ACTIVITY_PREFIX = 'embed-token.';

const adminOf = (ctx: Context) => ({
  ability: ctx.state.userAbility,
  user: ctx.state.user,
  ip: ctx.request.ip ?? null,
});

/** "Revoke every token issued before now": answers the updated embed settings. */
const revokeTokens = (type: EmbedType) => async (ctx: Context) => {
  const target = await getService('embeds').revokeBefore(type, ctx.params.id, `admin:${ctx.state.user.id}`);
  ctx.body = {
    data: {
      enabled: target.enabled,
      allowedOrigins: target.allowedOrigins,
      embedId: target.embedId,
      revokedBefore: target.revokedBefore,
    },
  };
};

export default {
  revokeReportTokens: revokeTokens('card'),
  revokeDashboardTokens: revokeTokens('story'),

  async playgroundTarget(ctx: Context) {
    const { type, embedId } = await validatePlaygroundTarget(ctx.params);
    ctx.body = { data: await getService('embed-playground').readableTarget(type, embedId, adminOf(ctx)) };
  },

  async playground(ctx: Context) {
    const input = await validatePlayground(ctx.request.body);
    ctx.status = 201;
    ctx.body = { data: await getService('embed-playground').mint(input, adminOf(ctx)) };
  },

  /** Embed-token issues, uses and revocations from the audit log, newest first. */
  async activity(ctx: Context) {
    const pagination = await parseActivityQuery(ctx.query);
    const { results, pagination: meta } = await getService('audit').list(
      { actionPrefix: EMBED_ACTIVITY_PREFIX },
      pagination
    );
    ctx.body = { data: await serializeEvents(strapi, results), meta: { pagination: meta } };
  },
};
