import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { assertTargetAllowed } from '../tokens/resources';
import type { AuthenticatedToken } from '../tokens/service';
import { getService } from '../utils/get-service';
import type { EmbedType } from './types';

const issue = (type: EmbedType) => async (ctx: Context) => {
  const token = ctx.state.apiToken as AuthenticatedToken;
  ctx.status = 201;
  // Domo's shape, unwrapped: its clients read `authentication` and `expiration` at the top level.
  ctx.body = await getService('embeds').issue(type, ctx.request.body, {
    subject: token.documentId,
    actor: `token:${token.documentId}`,
    ip: ctx.request.ip ?? null,
    assertTarget: (target) =>
      assertTargetAllowed(ctx, 'embeds', target.documentId, `${target.type} "${target.embedId}"`),
  });
};

export default {
  issueCard: issue('card'),
  issueStory: issue('story'),

  async revoke(ctx: Context) {
    const token = ctx.state.apiToken as AuthenticatedToken;
    const { jti, ...rest } = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (Object.keys(rest).length > 0) {
      throw new errors.ValidationError(`Unknown field(s): ${Object.keys(rest).join(', ')}`, {
        errors: Object.keys(rest).map((key) => ({
          path: [key],
          message: `${key} is not allowed`,
          name: 'ValidationError',
        })),
      });
    }
    if (typeof jti !== 'string' || !/^[0-9a-f-]{36}$/i.test(jti)) {
      throw new errors.ValidationError('jti must be the jti claim of an embed token (a UUID)', {
        errors: [
          { path: ['jti'], message: 'jti must be the jti claim of an embed token (a UUID)', name: 'ValidationError' },
        ],
      });
    }
    ctx.body = { data: await getService('embeds').revoke(jti, `token:${token.documentId}`, ctx.request.ip ?? null) };
  },
};
