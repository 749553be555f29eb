import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';
import { assetUrl, embedAsset, type EmbedAsset } from './embed-assets';
import { auditUse, embedCsv, embedData, embedSetup } from './embed-data';
import type { EmbedType } from './types';
import { errorPage, viewerCsp, viewerPage } from './viewer-page';
import { formToken, validateExportRequest, validateViewerBody } from './viewer-validation';

const PATHS: Record<EmbedType, string> = { card: 'cards', story: 'stories' };

const bearerOf = (ctx: Context) => /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1];

const noStore = (ctx: Context) => {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
};

/** The status a refused viewer page answers with; undefined for an error that is not the caller's (a 500). */
const statusOf = (error: unknown): number | undefined => {
  if (error instanceof errors.UnauthorizedError) return 401;
  if (error instanceof errors.ForbiddenError) return 403;
  if (error instanceof errors.NotFoundError) return 404;
  if (error instanceof errors.ValidationError) return 400;
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
};

/** The viewer page of a card or story, for the `embedToken` form field; a refusal is a page with its status. */
const page = (type: EmbedType) => async (ctx: Context) => {
  const { embedId } = ctx.params;
  const nonce = randomBytes(16).toString('base64');
  noStore(ctx);
  // The page is framed by other sites: frame-ancestors says which, in place of Strapi's SAMEORIGIN.
  ctx.remove('X-Frame-Options');
  ctx.type = 'text/html; charset=utf-8';
  const token = formToken(ctx.request.body);
  try {
    const verified = await getService('embeds').verify(token, type, embedId);
    const setup = await embedSetup(verified);
    auditUse(verified, 'view', ctx.request.ip ?? null);
    ctx.set('Content-Security-Policy', viewerCsp(nonce, verified.target.allowedOrigins));
    const base = `/embed/${PATHS[type]}/${encodeURIComponent(embedId)}`;
    ctx.body = viewerPage({
      nonce,
      setup,
      token: token!,
      scriptUrl: assetUrl('viewer.js'),
      dataUrl: `${base}/data`,
      exportUrl: type === 'card' ? `${base}/export` : '',
    });
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    const target = await getService('embeds').findTarget(type, embedId);
    ctx.set('Content-Security-Policy', viewerCsp(nonce, target?.enabled ? target.allowedOrigins : []));
    ctx.status = status;
    const code = (error as { details?: { code?: string } }).details?.code;
    ctx.body = errorPage(nonce, status, `${(error as Error).message}${code ? ` (${code})` : ''}`);
  }
};

/**
 * Answers the embed's 401 and 403 here, in Strapi's error body with their details: Strapi's route wrapper would turn
 * them into a bare "Unauthorized" or "Forbidden", losing `details.code` (TOKEN_EXPIRED or TOKEN_INVALID).
 */
const answeringRefusals =
  (handler: (ctx: Context) => Promise<void>) =>
  async (ctx: Context): Promise<void> => {
    try {
      await handler(ctx);
    } catch (error) {
      const status =
        error instanceof errors.UnauthorizedError ? 401 : error instanceof errors.ForbiddenError ? 403 : undefined;
      if (status === undefined) throw error;
      const { name, message, details } = error as errors.ApplicationError;
      if (status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="embed"');
      ctx.status = status;
      ctx.body = { data: null, error: { status, name, message, details: details ?? {} } };
    }
  };

const data = (type: EmbedType) => async (ctx: Context) => {
  noStore(ctx);
  const verified = await getService('embeds').verify(bearerOf(ctx), type, ctx.params.embedId);
  const query = await validateViewerBody(ctx.request.body);
  auditUse(verified, 'data', ctx.request.ip ?? null);
  ctx.body = await embedData(verified, query);
};

/** `filename="…"` for old clients (ASCII only) and `filename*` with the exact name. */
const attachment = (filename: string) =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

const script = (name: EmbedAsset) => async (ctx: Context) => {
  const asset = embedAsset(name);
  if (!asset) throw new errors.NotFoundError(`${name} is not built: run npm run build:plugin`);
  const etag = `"${asset.hash}"`;
  ctx.set('ETag', etag);
  // A URL naming the content's hash never changes; any other is revalidated.
  ctx.set('Cache-Control', ctx.query.v === asset.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
  ctx.type = 'application/javascript; charset=utf-8';
  if (ctx.get('if-none-match') === etag) {
    ctx.status = 304;
    return;
  }
  ctx.body = asset.body;
};

export default {
  cardPage: page('card'),
  storyPage: page('story'),
  cardData: answeringRefusals(data('card')),
  storyData: answeringRefusals(data('story')),

  /** The card's CSV, for the bearer header or a form POST of `embedToken` (a browser download). */
  cardExport: answeringRefusals(async (ctx: Context) => {
    noStore(ctx);
    const form = Boolean(ctx.is('application/x-www-form-urlencoded', 'multipart/form-data'));
    const { token, query } = await validateExportRequest(ctx.request.body, form);
    const verified = await getService('embeds').verify(bearerOf(ctx) ?? token, 'card', ctx.params.embedId);
    auditUse(verified, 'export', ctx.request.ip ?? null);
    const { filename, stream } = await embedCsv(verified, query);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', attachment(filename));
    ctx.body = stream;
  }),

  viewerScript: script('viewer.js'),
  sdkScript: script('sdk.js'),
};
