import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { OAuthError, readTokenRequest, redactedQuerystring } from './token-request';

/** `GET|POST /oauth/token`: the client-credentials grant, answered and refused as RFC 6749 §5 says. */
export default {
  async token(ctx: Context) {
    // Tokens never sit in a cache (RFC 6749 §5.1).
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    const { body } = ctx.request as { body?: unknown };
    const form = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
    const params: Record<string, unknown> = { ...ctx.query, ...form };
    // Strapi's logger writes the URL once the request is answered.
    const redacted = redactedQuerystring(ctx.querystring);
    if (redacted !== null) ctx.querystring = redacted;
    try {
      const credentials = readTokenRequest(ctx.request.header.authorization, params);
      ctx.body = await getService('oauth').grant(credentials, ctx.request.ip);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      ctx.status = error.status;
      if (error.status === 401) ctx.set('WWW-Authenticate', 'Basic realm="oauth"');
      if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
      ctx.body = { error: error.error, error_description: error.description };
    }
  },
};
