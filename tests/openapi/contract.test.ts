import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { postmanCollection } from '../../scripts/postman-collection';
import { seedSales } from '../../src/demo/seed';
import { generateToken } from '../../src/plugins/api-tokens/server/src/tokens/format';
import { APP_DIR, startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

const REGENERATE = 'run `npm run docs:api` and commit docs/';
const RUN_UID = 'plugin::api-tokens.job-run';
const FAILED_AUTH_LIMIT = 20;
/** Where the external API lives: the plugin's content-API routes and its routes at the server's root. */
const EXTERNAL = /^\/(api\/api-tokens|v1|oauth|embed|cards)\//;

type Json = Record<string, any>;
type Method = 'get' | 'post' | 'delete';
interface Case {
  method: Method;
  path: string;
  status: number;
  /** The request; a 2xx one's JSON body is also checked against the documented request schema. */
  send: () => Promise<Response>;
  body?: unknown;
}

const readJson = (file: string) => JSON.parse(readFileSync(path.join(APP_DIR, file), 'utf8'));

/** Where two JSON values first differ, as a path (`paths./api/…​.post.responses`), or null. */
const firstDifference = (a: unknown, b: unknown, at = '$'): string | null => {
  if (isDeepStrictEqual(a, b)) return null;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return `${at}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    const found = firstDifference((a as Json)[key], (b as Json)[key], `${at}.${key}`);
    if (found) return found;
  }
  return `${at}: a key holding undefined`;
};

describe('the external API matches its OpenAPI document (SQLite)', () => {
  let app: TestApp;
  let doc: Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const covered = new Set<string>();

  // What the cases need, made in beforeAll.
  const s: Record<string, string> = {};

  const post = async (url: string, body: object) => {
    const res = await app.admin.post(url).send(body);
    if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  };
  const mint = async (kind: 'cards' | 'stories', embedId: string, filters: object[] = [], permissions = ['READ']) => {
    const res = await app
      .bearer(s.embedToken)
      .post(`/v1/${kind}/embed/auth`)
      .send({ sessionLength: 10, authorizations: [{ token: embedId, permissions, filters }] });
    if (res.status !== 201) throw new Error(`embed auth: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.authentication as string;
  };

  /** Validates `value` against a schema of the document (its `$ref`s resolve inside the document). */
  const conforms = (schema: Json, value: unknown, what: string) => {
    const validate = ajv.compile({ ...schema, components: doc.components });
    if (!validate(value)) {
      throw new Error(
        `${what} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`
      );
    }
  };

  const operation = (method: Method, url: string) => {
    const operationDoc = doc.paths[url]?.[method];
    if (!operationDoc) throw new Error(`${method.toUpperCase()} ${url} is not in the document`);
    return operationDoc;
  };

  const run = async ({ method, path: url, status, send, body }: Case) => {
    const documented = operation(method, url).responses[String(status)];
    if (!documented) throw new Error(`${method.toUpperCase()} ${url} does not document ${status}`);
    const res = await send();
    const what = `${method.toUpperCase()} ${url} → ${res.status}`;
    if (res.status !== status) throw new Error(`${what}, expected ${status}: ${res.text.slice(0, 500)}`);
    const media = Object.keys(documented.content ?? {});
    if (media.length > 0) {
      const type = String(res.headers['content-type'] ?? '').split(';')[0];
      if (!media.includes(type)) throw new Error(`${what}: Content-Type ${type}, documented ${media.join(', ')}`);
      if (type === 'application/json') conforms(documented.content[type].schema, res.body, what);
    }
    for (const header of Object.keys(documented.headers ?? {})) {
      if (res.headers[header.toLowerCase()] === undefined) throw new Error(`${what}: no ${header} header`);
    }
    if (status < 300 && body !== undefined) {
      const requestSchema = operation(method, url).requestBody?.content?.['application/json']?.schema;
      if (requestSchema) conforms(requestSchema, body, `the request body of ${method.toUpperCase()} ${url}`);
    }
    covered.add(`${method} ${url} ${status}`);
  };

  const bearer = (token: () => string) => (method: Method, url: string) => app.bearer(token())[method](url);
  const anonymous = (method: Method, url: string) => app.anonymous()[method](url);
  const json = (
    method: Method,
    url: string,
    path: string,
    status: number,
    agent: (method: Method, url: string) => any,
    body?: object,
    headers: Record<string, string> = {}
  ): Case => ({
    method,
    path,
    status,
    body,
    send: () => {
      const req = agent(method, url).set(headers);
      return body === undefined ? req : req.send(body);
    },
  });

  const apiPath = (suffix: string) => `/api/api-tokens${suffix}`;
  const refreshes = '/api/api-tokens/semantic-models/{id}/refreshes';
  const runPath = '/api/api-tokens/runs/{runId}';
  const triggers = '/api/api-tokens/subscriptions/{id}/runs';
  const revoke = '/api/api-tokens/embed-tokens/revoke';
  const viewerForm = (url: () => string, token: () => string | undefined, route: string, status: number): Case => ({
    method: 'post',
    path: route,
    status,
    send: () => {
      const t = token();
      return app
        .anonymous()
        .post(url())
        .type('form')
        .send(t ? { embedToken: t } : {});
    },
  });
  const embedJson = (
    route: string,
    url: () => string,
    token: () => string | undefined,
    status: number,
    body: object = {}
  ): Case => ({
    method: 'post',
    path: route,
    status,
    body,
    send: () => {
      const req = app.anonymous().post(url());
      const t = token();
      return (t ? req.set('Authorization', `Bearer ${t}`) : req).send(body);
    },
  });
  const embedAuth = (kind: 'cards' | 'stories', status: number, token: () => string, body?: () => object): Case => ({
    method: 'post',
    path: `/v1/${kind}/embed/auth`,
    status,
    get body() {
      return body?.();
    },
    send: () =>
      app
        .bearer(token())
        .post(`/v1/${kind}/embed/auth`)
        .send(body?.() ?? {}),
  });
  const oauth = (
    method: 'get' | 'post',
    status: number,
    params: () => Record<string, string>,
    basic = false
  ): Case => ({
    method,
    path: '/oauth/token',
    status,
    send: () => {
      const req = app.anonymous()[method]('/oauth/token');
      if (basic) req.auth(s.clientId, s.clientSecret);
      return method === 'get' ? req.query(params()) : req.type('form').send(params());
    },
  });
  const script = (name: string, status: number): Case => ({
    method: 'get',
    path: `/embed/${name}`,
    status,
    send: async () => {
      if (status === 200) return app.anonymous().get(`/embed/${name}`);
      const first = await app.anonymous().get(`/embed/${name}`);
      return app.anonymous().get(`/embed/${name}`).set('If-None-Match', first.headers.etag);
    },
  });

  const cardData = '/embed/cards/{embedId}/data';
  const storyData = '/embed/stories/{embedId}/data';
  const cardExport = '/embed/cards/{embedId}/export';
  const dataCases = (route: string, kind: 'cards' | 'stories', suffix: string, extra: Case[] = []): Case[] => {
    const at = (embedId: string) => () => `/embed/${kind}/${s[embedId]}${suffix}`;
    const id = kind === 'cards' ? 'card' : 'story';
    return [
      embedJson(route, at(id), () => s[`${id}Jwt`], 200, { inputs: { channel: 'online' }, pageSize: 5 }),
      embedJson(route, at(id), () => s[`${id}Jwt`], 400, { pageSize: 0 }),
      embedJson(route, at(id), () => undefined, 401),
      embedJson(route, at(id), () => (kind === 'cards' ? s.storyJwt : s.cardJwt), 403),
      embedJson(route, at(`${id}Gone`), () => s[`${id}GoneJwt`], 404),
      embedJson(route, at(`${id}Stale`), () => s[`${id}StaleJwt`], 409),
      ...extra,
    ];
  };
  const pageCases = (route: string, prefix: string, id: 'card' | 'story'): Case[] => {
    const at = (key: string) => () => `${prefix}/${s[key]}`;
    return [
      viewerForm(at(id), () => s[`${id}Jwt`], route, 200),
      viewerForm(at(id), () => undefined, route, 401),
      viewerForm(at(id), () => (id === 'card' ? s.storyJwt : s.cardJwt), route, 403),
      viewerForm(at(`${id}Gone`), () => s[`${id}GoneJwt`], route, 404),
    ];
  };

  const cases: Case[] = [
    json(
      'get',
      apiPath('/self'),
      apiPath('/self'),
      200,
      bearer(() => s.refreshToken)
    ),
    json('get', apiPath('/self'), apiPath('/self'), 401, anonymous),
    {
      ...json(
        'post',
        '',
        refreshes,
        202,
        bearer(() => s.refreshToken)
      ),
      send: async () => {
        const res = await app.bearer(s.refreshToken).post(apiPath(`/semantic-models/${s.model}/refreshes`));
        s.refreshRun = res.body?.data?.id;
        return res;
      },
    },
    {
      method: 'post',
      path: refreshes,
      status: 400,
      send: () =>
        app
          .bearer(s.refreshToken)
          .post(apiPath(`/semantic-models/${s.model}/refreshes`))
          .set('Idempotency-Key', 'not a key'),
    },
    {
      method: 'post',
      path: refreshes,
      status: 401,
      send: () => app.anonymous().post(apiPath(`/semantic-models/${s.model}/refreshes`)),
    },
    {
      method: 'post',
      path: refreshes,
      status: 403,
      send: () => app.bearer(s.executeToken).post(apiPath(`/semantic-models/${s.model}/refreshes`)),
    },
    {
      method: 'post',
      path: refreshes,
      status: 403,
      // A fine-grained token restricted to another model.
      send: () => app.bearer(s.otherModelToken).post(apiPath(`/semantic-models/${s.model}/refreshes`)),
    },
    {
      method: 'post',
      path: refreshes,
      status: 404,
      send: () => app.bearer(s.refreshToken).post(apiPath('/semantic-models/nope/refreshes')),
    },
    {
      method: 'post',
      path: refreshes,
      status: 409,
      send: async () => {
        const url = apiPath(`/semantic-models/${s.model}/refreshes`);
        const both = await Promise.all([app.bearer(s.refreshToken).post(url), app.bearer(s.refreshToken).post(url)]);
        return both.find((res) => res.status === 409) ?? both[0];
      },
    },
    {
      method: 'get',
      path: runPath,
      status: 200,
      send: () => app.bearer(s.refreshToken).get(apiPath(`/runs/${s.refreshRun}`)),
    },
    { method: 'get', path: runPath, status: 401, send: () => app.anonymous().get(apiPath(`/runs/${s.refreshRun}`)) },
    {
      method: 'get',
      path: runPath,
      status: 403,
      send: () => app.bearer(s.executeToken).get(apiPath(`/runs/${s.refreshRun}`)),
    },
    { method: 'get', path: runPath, status: 404, send: () => app.bearer(s.refreshToken).get(apiPath('/runs/nope')) },
    {
      method: 'delete',
      path: runPath,
      status: 200,
      send: () => app.bearer(s.refreshToken).delete(apiPath(`/runs/${s.queuedRun}`)),
    },
    {
      method: 'delete',
      path: runPath,
      status: 401,
      send: () => app.anonymous().delete(apiPath(`/runs/${s.queuedRun}`)),
    },
    {
      method: 'delete',
      path: runPath,
      status: 403,
      send: () => app.bearer(s.executeToken).delete(apiPath(`/runs/${s.queuedRun}`)),
    },
    {
      method: 'delete',
      path: runPath,
      status: 404,
      send: () => app.bearer(s.refreshToken).delete(apiPath('/runs/nope')),
    },
    // Cancelled above: finished.
    {
      method: 'delete',
      path: runPath,
      status: 409,
      send: () => app.bearer(s.refreshToken).delete(apiPath(`/runs/${s.queuedRun}`)),
    },
    {
      method: 'post',
      path: triggers,
      status: 202,
      body: { inputs: { channel: 'online' } },
      send: () =>
        app
          .bearer(s.executeToken)
          .post(apiPath(`/subscriptions/${s.subscription}/runs`))
          .set('Idempotency-Key', `contract-${Date.now()}`)
          .send({ inputs: { channel: 'online' } }),
    },
    {
      method: 'post',
      path: triggers,
      status: 400,
      send: () =>
        app
          .bearer(s.executeToken)
          .post(apiPath(`/subscriptions/${s.subscription}/runs`))
          .send({ colour: 'red' }),
    },
    {
      method: 'post',
      path: triggers,
      status: 401,
      send: () => app.anonymous().post(apiPath(`/subscriptions/${s.subscription}/runs`)),
    },
    {
      method: 'post',
      path: triggers,
      status: 403,
      send: () => app.bearer(s.refreshToken).post(apiPath(`/subscriptions/${s.subscription}/runs`)),
    },
    {
      method: 'post',
      path: triggers,
      status: 404,
      send: () => app.bearer(s.executeToken).post(apiPath('/subscriptions/nope/runs')),
    },
    {
      method: 'post',
      path: triggers,
      status: 409,
      send: () => app.bearer(s.executeToken).post(apiPath(`/subscriptions/${s.disabledSubscription}/runs`)),
    },
    json('get', apiPath('/openapi.json'), apiPath('/openapi.json'), 200, anonymous),
    embedAuth(
      'cards',
      201,
      () => s.embedToken,
      () => ({
        sessionLength: 10,
        authorizations: [{ token: s.card, permissions: ['READ', 'EXPORT'], filters: [] }],
      })
    ),
    embedAuth(
      'cards',
      400,
      () => s.embedToken,
      () => ({ authorizations: [{ token: s.card, permissions: ['READ'], sqlFilters: ['1=1'] }] })
    ),
    embedAuth('cards', 401, () => 'rht_nope'),
    embedAuth('cards', 403, () => s.refreshToken),
    embedAuth(
      'stories',
      201,
      () => s.embedToken,
      () => ({
        authorizations: [
          {
            token: s.story,
            permissions: ['READ'],
            filters: [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
          },
        ],
      })
    ),
    embedAuth(
      'stories',
      400,
      () => s.embedToken,
      () => ({ authorizations: [{ token: s.card, permissions: ['READ'] }] })
    ),
    embedAuth('stories', 401, () => 'rht_nope'),
    embedAuth('stories', 403, () => s.refreshToken),
    {
      method: 'post',
      path: revoke,
      status: 200,
      get body() {
        return { jti: s.revokeJti };
      },
      send: () => app.bearer(s.embedToken).post(revoke).send({ jti: s.revokeJti }),
    },
    {
      method: 'post',
      path: revoke,
      status: 400,
      send: () => app.bearer(s.embedToken).post(revoke).send({ jti: 'nope' }),
    },
    { method: 'post', path: revoke, status: 401, send: () => app.anonymous().post(revoke).send({ jti: s.revokeJti }) },
    {
      method: 'post',
      path: revoke,
      status: 403,
      send: () => app.bearer(s.refreshToken).post(revoke).send({ jti: s.revokeJti }),
    },
    oauth('post', 200, () => ({ grant_type: 'client_credentials' }), true),
    oauth('post', 400, () => ({ grant_type: 'password' }), true),
    oauth('post', 401, () => ({
      grant_type: 'client_credentials',
      client_id: s.clientId,
      client_secret: generateToken(),
    })),
    oauth('get', 200, () => ({
      grant_type: 'client_credentials',
      client_id: s.clientId,
      client_secret: s.clientSecret,
    })),
    oauth('get', 400, () => ({ client_id: s.clientId, client_secret: s.clientSecret })),
    oauth('get', 401, () => ({ grant_type: 'client_credentials' })),
    script('viewer.js', 200),
    script('viewer.js', 304),
    script('sdk.js', 200),
    script('sdk.js', 304),
    ...pageCases('/embed/cards/{embedId}', '/embed/cards', 'card'),
    ...pageCases('/cards/{embedId}', '/cards', 'card'),
    ...pageCases('/embed/stories/{embedId}', '/embed/stories', 'story'),
    ...pageCases('/embed/pages/{embedId}', '/embed/pages', 'story'),
    ...dataCases(cardData, 'cards', '/data'),
    ...dataCases(storyData, 'stories', '/data'),
    ...dataCases(cardExport, 'cards', '/export'),
  ];

  /** Last: the client IP past its failed authentications gets 429 on every token-guarded route. */
  const throttledCases: Case[] = [
    json(
      'get',
      apiPath('/self'),
      apiPath('/self'),
      429,
      bearer(() => s.refreshToken)
    ),
    {
      method: 'post',
      path: refreshes,
      status: 429,
      send: () => app.bearer(s.refreshToken).post(apiPath(`/semantic-models/${s.model}/refreshes`)),
    },
    {
      method: 'get',
      path: runPath,
      status: 429,
      send: () => app.bearer(s.refreshToken).get(apiPath(`/runs/${s.refreshRun}`)),
    },
    {
      method: 'delete',
      path: runPath,
      status: 429,
      send: () => app.bearer(s.refreshToken).delete(apiPath(`/runs/${s.refreshRun}`)),
    },
    {
      method: 'post',
      path: triggers,
      status: 429,
      send: () => app.bearer(s.executeToken).post(apiPath(`/subscriptions/${s.subscription}/runs`)),
    },
    {
      method: 'post',
      path: revoke,
      status: 429,
      send: () => app.bearer(s.embedToken).post(revoke).send({ jti: s.revokeJti }),
    },
    embedAuth('cards', 429, () => s.embedToken),
    embedAuth('stories', 429, () => s.embedToken),
    oauth('post', 429, () => ({ grant_type: 'client_credentials' }), true),
    oauth('get', 429, () => ({
      grant_type: 'client_credentials',
      client_id: s.clientId,
      client_secret: s.clientSecret,
    })),
  ];

  beforeAll(async () => {
    app = await startStrapi({
      env: { API_TOKENS_SCHEDULER_ENABLED: 'false', API_TOKENS_FAILED_AUTH_LIMIT: String(FAILED_AUTH_LIMIT) },
    });
    doc = (await app.anonymous().get('/api/api-tokens/openapi.json').expect(200)).body;
    await seedSales(app.strapi, 200);
    const fields = ['region', 'channel', 'product', 'amount', 'quantity'];
    const models = app.strapi.plugin('api-tokens').service('semantic-models');
    const model = async (name: string, modelFields: string[]) => {
      const created = await post('/api-tokens/semantic-models', {
        name,
        source: { type: 'content-type', uid: 'api::sale.sale', fields: modelFields },
        refresh: { mode: 'manual' },
      });
      await models.refresh(created.documentId);
      return created.documentId as string;
    };
    s.model = await model('Contract sales', fields);
    const slim = await model('Contract slim', ['region', 'channel', 'amount']);

    const report = async (name: string) =>
      post('/api-tokens/reports', {
        name,
        semanticModel: s.model,
        query: { columns: ['region', 'channel', 'amount'] },
        chart: { type: 'table' },
        inputs: [{ name: 'channel', column: 'channel', type: 'single-select' }],
        embed: { enabled: true, allowedOrigins: [] },
      });
    const dashboard = async (name: string, reportId: string) =>
      post('/api-tokens/dashboards', {
        name,
        items: [{ report: reportId, width: 12 }],
        embed: { enabled: true, allowedOrigins: [] },
      });
    const [card, cardGone, cardStale] = [await report('Card'), await report('Card gone'), await report('Card stale')];
    const [story, storyGone, storyStale] = [
      await dashboard('Story', card.documentId),
      await dashboard('Story gone', cardGone.documentId),
      await dashboard('Story stale', cardStale.documentId),
    ];
    Object.assign(s, {
      card: card.embed.embedId,
      cardGone: cardGone.embed.embedId,
      cardStale: cardStale.embed.embedId,
      story: story.embed.embedId,
      storyGone: storyGone.embed.embedId,
      storyStale: storyStale.embed.embedId,
    });

    s.refreshToken = (await issueToken(app, { scopes: ['semantic-models:refresh'] })).accessKey;
    s.executeToken = (await issueToken(app, { scopes: ['subscriptions:execute'] })).accessKey;
    s.otherModelToken = (
      await issueToken(app, { scopes: ['semantic-models:refresh'], resources: { models: [slim] } })
    ).accessKey;
    const embedToken = await issueToken(app, { scopes: ['embed-tokens:create'] });
    s.embedToken = embedToken.accessKey;
    s.clientId = embedToken.documentId;
    s.clientSecret = embedToken.accessKey;

    const product = [{ column: 'product', operator: 'EQUALS', values: ['Widget'] }];
    s.cardJwt = await mint('cards', s.card, [], ['READ', 'EXPORT']);
    s.storyJwt = await mint('stories', s.story);
    s.cardGoneJwt = await mint('cards', s.cardGone, [], ['READ', 'EXPORT']);
    s.storyGoneJwt = await mint('stories', s.storyGone);
    s.cardStaleJwt = await mint('cards', s.cardStale, product, ['READ', 'EXPORT']);
    s.storyStaleJwt = await mint('stories', s.storyStale, product);
    s.revokeJti = JSON.parse(Buffer.from((await mint('cards', s.card)).split('.')[1], 'base64url').toString()).jti;
    // The embeds go away, or lose the filtered column, after their tokens were issued.
    for (const [kind, documentId] of [
      ['reports', cardGone.documentId],
      ['dashboards', storyGone.documentId],
    ]) {
      await app.admin
        .put(`/api-tokens/${kind}/${documentId}`)
        .send({ embed: { enabled: false } })
        .expect(200);
    }
    await app.admin
      .put(`/api-tokens/reports/${cardStale.documentId}`)
      .send({ semanticModel: slim, query: { columns: ['region', 'channel', 'amount'] } })
      .expect(200);

    const subscription = (name: string, enabled: boolean) =>
      post('/api-tokens/subscriptions', {
        name,
        target: { type: 'report', id: card.documentId },
        recipients: [{ email: 'ops@example.com' }],
        format: 'csv',
        schedule: null,
        enabled,
      });
    s.subscription = (await subscription('Contract mail', true)).documentId;
    s.disabledSubscription = (await subscription('Contract mail off', false)).documentId;
    // A run that waits an hour: queued until cancelled.
    s.queuedRun = (
      await app.strapi.db.query(RUN_UID).create({
        data: {
          kind: 'refresh',
          targetId: 'contract-queued',
          status: 'queued',
          trigger: 'api',
          attempt: 1,
          stats: {},
          retried: false,
          notBefore: new Date(Date.now() + 3_600_000),
        },
      })
    ).documentId;
  });

  afterAll(async () => {
    await app?.stop();
  });

  describe("the Postman collection walks the seed's stories", () => {
    const vars: Record<string, string> = {};
    const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (_, name) => vars[name] ?? `{{${name}}}`);

    /** Sends a request of the collection as Postman would, and runs its test script. */
    const send = async (name: string) => {
      const collection = readJson('docs/reporting-hub.postman_collection.json');
      const item = collection.item.flatMap((folder: Json) => folder.item).find((entry: Json) => entry.name === name);
      const { request } = item;
      const segment = (part: string) =>
        part.startsWith(':') ? request.url.variable.find((v: Json) => v.key === part.slice(1)).value : part;
      const url = fill(`/${request.url.path.map(segment).join('/')}`);
      const req = app.anonymous()[request.method.toLowerCase() as Method](url);
      for (const header of request.header ?? []) if (!header.disabled) req.set(header.key, fill(header.value));
      const auth = request.auth ?? collection.auth;
      if (auth.type === 'bearer') req.set('Authorization', `Bearer ${fill(auth.bearer[0].value)}`);
      if (request.body?.mode === 'raw') req.set('Content-Type', 'application/json').send(fill(request.body.raw));
      const res = await req;
      const pm = {
        response: { code: res.status, json: () => res.body },
        collectionVariables: { set: (key: string, value: string) => (vars[key] = value) },
      };
      for (const event of item.event ?? []) new Function('pm', event.script.exec.join('\n'))(pm);
      return res;
    };
    const waitForRun = async () => {
      for (let i = 0; i < 60; i += 1) {
        const res = await send('Poll a run');
        expect(res.status).toBe(200);
        if (['succeeded', 'failed', 'cancelled'].includes(res.body.data.status)) return res.body.data;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error('the run did not finish');
    };

    it('refreshes a model, then triggers a subscription, polling each run', async () => {
      Object.assign(vars, { baseUrl: '', apiToken: s.refreshToken, modelId: s.model });
      expect((await send("Refresh a semantic model's snapshot")).status).toBe(202);
      expect(await waitForRun()).toMatchObject({ kind: 'refresh', status: 'succeeded' });

      Object.assign(vars, { apiToken: s.executeToken, subscriptionId: s.subscription });
      expect((await send('Run a subscription now')).status).toBe(202);
      expect(await waitForRun()).toMatchObject({ kind: 'subscription', status: 'succeeded' });
    });

    it('issues an embed token for a card, reads its rows, and revokes it', async () => {
      Object.assign(vars, { apiToken: s.embedToken, cardEmbedId: s.card });
      expect((await send('Issue an embed token for cards (reports)')).status).toBe(201);
      expect((await send('The rows of an embedded card')).status).toBe(200);
      expect((await send('Revoke one embed token')).body).toEqual({ data: { jti: vars.jti, revoked: true } });
      expect((await send('The rows of an embedded card')).status).toBe(401);
    });
  });

  describe('every documented status, sent for real and checked against the document', () => {
    for (const testCase of cases) {
      it(`${testCase.method.toUpperCase()} ${testCase.path} → ${testCase.status}`, () => run(testCase));
    }
    describe('past the failed authentications of the client IP', () => {
      beforeAll(async () => {
        for (let i = 0; i <= FAILED_AUTH_LIMIT; i += 1) {
          const res = await app.bearer(generateToken()).get('/api/api-tokens/self');
          if (res.status === 429) return;
        }
        throw new Error('the client IP was never throttled');
      });
      for (const testCase of throttledCases) {
        it(`${testCase.method.toUpperCase()} ${testCase.path} → ${testCase.status}`, () => run(testCase));
      }
    });
  });

  describe('the document covers the API and nothing else', () => {
    const documented = () =>
      Object.entries(doc.paths as Json).flatMap(([route, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${route}`)
      );

    it('documents every external route Strapi serves', () => {
      const served = app.strapi.server
        .listRoutes()
        .filter((layer: any) => EXTERNAL.test(layer.path))
        .flatMap((layer: any) =>
          (layer.methods as string[])
            .filter((method) => method !== 'HEAD')
            .map((method) => `${method} ${layer.path.replace(/:(\w+)/g, '{$1}')}`)
        );
      expect(served.length).toBeGreaterThan(10);
      const missing = served.filter((route: string) => !documented().includes(route));
      if (missing.length) {
        throw new Error(
          `Served but not in the OpenAPI document: ${missing.join(', ')}. Describe each in its capability's openapi.ts ` +
            `(keyed by "METHOD handler"), then ${REGENERATE}`
        );
      }
      expect(documented().filter((route) => !served.includes(route))).toEqual([]);
      expect(app.strapi.plugin('api-tokens').service('openapi').undocumented()).toEqual([]);
    });

    it('sent every documented status of every route', () => {
      const expected = Object.entries(doc.paths as Json).flatMap(([route, item]) =>
        Object.entries(item as Json).flatMap(([method, op]) =>
          Object.keys(op.responses).map((status) => `${method} ${route} ${status}`)
        )
      );
      expect(expected.filter((key) => !covered.has(key))).toEqual([]);
    });

    it('gives every token-guarded route its scopes and the policy answers', () => {
      for (const [route, item] of Object.entries(doc.paths as Json)) {
        for (const op of Object.values(item as Json)) {
          if (!op.security?.[0]?.apiToken) continue;
          expect([route, Object.keys(op.responses)]).toEqual([route, expect.arrayContaining(['401', '429'])]);
          expect(op['x-scopes']).toBeDefined();
        }
      }
      expect(doc.paths[refreshes].post.security).toEqual([{ apiToken: ['semantic-models:refresh'] }]);
      expect(doc.paths[runPath].get['x-scopes']).toEqual(['semantic-models:refresh', 'subscriptions:execute']);
    });
  });

  describe('the committed copies', () => {
    it('docs/openapi.json is what the app serves', () => {
      const difference = firstDifference(readJson('docs/openapi.json'), doc);
      if (difference) {
        throw new Error(
          `docs/openapi.json differs from GET /api/api-tokens/openapi.json (${difference}): ${REGENERATE}`
        );
      }
    });

    it('docs/reporting-hub.postman_collection.json is generated from it', async () => {
      const committed = readJson('docs/reporting-hub.postman_collection.json');
      const difference = firstDifference(committed, await postmanCollection(doc));
      if (difference)
        throw new Error(`docs/reporting-hub.postman_collection.json is stale (${difference}): ${REGENERATE}`);
      expect(committed.variable.map((variable: Json) => variable.key)).toEqual(
        expect.arrayContaining(['baseUrl', 'apiToken', 'modelId', 'subscriptionId', 'runId'])
      );
    });
  });
});
