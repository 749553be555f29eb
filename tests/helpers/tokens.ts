import type { TestApp } from './strapi';

export const TOKEN_PATTERN = /^rht_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/;
export const DAY = 24 * 60 * 60 * 1000;

export interface IssuedToken {
  documentId: string;
  accessKey: string;
  [key: string]: unknown;
}

let counter = 0;

/** Creates a token through the admin API and returns its response data (with the one-time accessKey). */
export const issueToken = async (app: TestApp, body: Record<string, unknown> = {}): Promise<IssuedToken> => {
  const res = await app.admin
    .post('/api-tokens/tokens')
    .send({ name: `token ${(counter += 1)} ${Date.now()}`, scopes: ['sales:read'], expiresInDays: 30, ...body });
  if (res.status !== 201) throw new Error(`token create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
};

export const tokenRow = (app: TestApp, documentId: string) =>
  app.strapi.db.query('plugin::api-tokens.api-token').findOne({ where: { documentId } });

export const flushTokenWrites = () => (strapi as any).plugin('api-tokens').service('tokens').flush();
