import jwt from 'jsonwebtoken';
import { demoSales, seedSales } from '../../src/demo/seed';
import { expectFieldError } from '../helpers/field-errors';
import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

const SALES = 400;
const FIELDS = ['region', 'channel', 'product', 'amount', 'quantity', 'soldAt'];
const COLUMNS = ['region', 'channel', 'product', 'amount', 'quantity'];

type Sale = ReturnType<typeof demoSales>[number];
type Filter = { column: string; operator: string; values: string[] };

/** A row as the key both sides compare: the database's rows and the seed's, computed in JS. */
const keyOf = (row: Record<string, unknown>) =>
  `${row.region}|${row.channel}|${row.product}|${Number(row.amount).toFixed(2)}|${Number(row.quantity)}`;
const keysOf = (rows: Record<string, unknown>[]) => rows.map(keyOf).sort();
const expected = (keep: (sale: Sale) => boolean) => keysOf(demoSales(SALES).filter(keep));

/** Each operator with the rows it must keep, computed from the seed. */
const OPERATOR_CASES: [string, Filter, (sale: Sale) => boolean][] = [
  ['IN', { column: 'region', operator: 'IN', values: ['North', 'East'] }, (s) => ['North', 'East'].includes(s.region)],
  ['NOT_IN', { column: 'region', operator: 'NOT_IN', values: ['North'] }, (s) => s.region !== 'North'],
  ['EQUALS', { column: 'channel', operator: 'EQUALS', values: ['online'] }, (s) => s.channel === 'online'],
  ['NOT_EQUALS', { column: 'channel', operator: 'NOT_EQUALS', values: ['online'] }, (s) => s.channel !== 'online'],
  ['GREATER_THAN', { column: 'amount', operator: 'GREATER_THAN', values: ['500'] }, (s) => s.amount > 500],
  [
    'GREAT_THAN_EQUALS_TO',
    { column: 'quantity', operator: 'GREAT_THAN_EQUALS_TO', values: ['10'] },
    (s) => s.quantity >= 10,
  ],
  ['LESS_THAN', { column: 'amount', operator: 'LESS_THAN', values: ['100'] }, (s) => s.amount < 100],
  [
    'LESS_THAN_EQUALS_TO',
    { column: 'quantity', operator: 'LESS_THAN_EQUALS_TO', values: ['5'] },
    (s) => s.quantity <= 5,
  ],
  [
    'BETWEEN',
    { column: 'amount', operator: 'BETWEEN', values: ['100', '300'] },
    (s) => s.amount >= 100 && s.amount <= 300,
  ],
  [
    'GREATER_THAN on a datetime',
    { column: 'soldAt', operator: 'GREATER_THAN', values: ['2026-06-01T00:00:00Z'] },
    (s) => s.soldAt.getTime() > Date.UTC(2026, 5, 1),
  ],
];

const frameAncestors = (csp: string) => /frame-ancestors ([^;]+)/.exec(csp)?.[1];

export const viewerSuite = (database: Database) =>
  describeOnDatabase(database)(`embed viewer, data and export on ${database}`, () => {
    let app: TestApp;
    let model: string;
    let apiToken: string;
    let names = 0;

    const post = async (path: string, body: object) => {
      const res = await app.admin.post(path).send(body);
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    };

    /** An embeddable rows report (a table of every sale), with a channel input. */
    const createReport = (extra: object = {}) =>
      post('/api-tokens/reports', {
        name: `Sales rows ${(names += 1)}`,
        semanticModel: model,
        query: { columns: COLUMNS },
        chart: { type: 'table' },
        inputs: [{ name: 'channel', column: 'channel', type: 'single-select' }],
        embed: { enabled: true, allowedOrigins: [] },
        ...extra,
      });

    const mint = async (
      embedId: string,
      filters: Filter[] = [],
      permissions = ['READ'],
      kind: 'cards' | 'stories' = 'cards'
    ): Promise<string> => {
      const res = await app
        .bearer(apiToken)
        .post(`/v1/${kind}/embed/auth`)
        .send({ sessionLength: 10, authorizations: [{ token: embedId, permissions, filters }] });
      if (res.status !== 201) throw new Error(`embed auth: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.authentication;
    };

    const data = (embedId: string, token: string, body: object = {}, kind = 'cards') =>
      app.anonymous().post(`/embed/${kind}/${embedId}/data`).set('Authorization', `Bearer ${token}`).send(body);

    const rowsOf = async (embedId: string, token: string, body: object = {}) => {
      const res = await data(embedId, token, { pageSize: 1000, ...body });
      if (res.status !== 200) throw new Error(`data: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data.rows as Record<string, unknown>[];
    };

    const openViewer = (path: string, token: string) =>
      app.anonymous().post(path).type('form').send({ embedToken: token });

    const expectRefused = (res: { status: number; body: any }, status: number, code?: string) => {
      expect(res.status).toBe(status);
      if (code) expect(res.body.error.details.code).toBe(code);
    };

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      await seedSales(app.strapi, SALES);
      model = (
        await post('/api-tokens/semantic-models', {
          name: 'Embedded sales',
          source: { type: 'content-type', uid: 'api::sale.sale', fields: FIELDS },
          refresh: { mode: 'manual' },
        })
      ).documentId;
      await app.strapi.plugin('api-tokens').service('semantic-models').refresh(model);
      apiToken = (await issueToken(app, { scopes: ['embed-tokens:create'] })).accessKey;
    });
    afterAll(async () => {
      await app?.stop();
    });

    it('mints, opens the viewer page (CSP with a nonce, no X-Frame-Options, no caching) and serves its data', async () => {
      const report = await createReport();
      const { embedId } = report.embed;
      const token = await mint(embedId, [OPERATOR_CASES[0][1]]);

      const page = await openViewer(`/embed/cards/${embedId}`, token);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['x-frame-options']).toBeUndefined();
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      const csp: string = page.headers['content-security-policy'];
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(frameAncestors(csp)).toBe("'self'");
      // Every script element carries the nonce; the token is only in the JSON block the viewer script removes.
      const scripts = [...page.text.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length).toBe(3);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(page.text).toContain('<script type="application/json" id="embed-token"');
      expect(page.headers['set-cookie']).toBeUndefined();

      // The viewer script it names is served, cacheable for good under its hash.
      const src = /<script src="([^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');
      const script = await app.anonymous().get(src);
      expect(script.status).toBe(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
      expect(script.headers['cache-control']).toContain('immutable');
      const sdk = await app.anonymous().get('/embed/sdk.js');
      expect(sdk.status).toBe(200);
      expect(sdk.text).toContain('ReportingHubEmbed');
      expect((await app.anonymous().get('/embed/sdk.js').set('If-None-Match', sdk.headers.etag)).status).toBe(304);

      const res = await data(embedId, token, { pageSize: 1000 });
      expect(res.status).toBe(200);
      expect(res.body.data.columns.map((column: { name: string }) => column.name)).toEqual(COLUMNS);
      expect(res.body.meta.pagination).toMatchObject({ page: 1, pageSize: 1000 });
      expect(keysOf(res.body.data.rows)).toEqual(expected(OPERATOR_CASES[0][2]));
      expect(res.body.meta.pagination.total).toBe(res.body.data.rows.length);
      // The data route is no page: it keeps Strapi's X-Frame-Options, as every other route does.
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await app.anonymous().get('/admin/init')).headers['x-frame-options']).toBe('SAMEORIGIN');
      expect((await app.anonymous().post('/v1/cards/embed/auth').send({})).headers['x-frame-options']).toBe(
        'SAMEORIGIN'
      );

      // Pages: the second page of 10 is rows 11–20 of the same result.
      const first = await data(embedId, token, { pageSize: 10, page: 2 });
      expect(first.status).toBe(200);
      expect(first.body.data.rows).toHaveLength(10);
      expect(first.body.meta.pagination).toMatchObject({ page: 2, pageSize: 10, total: res.body.data.rows.length });
    });

    it('answers the Domo aliases of the viewer (ignoring ?referenceId=), and a story at both of its paths', async () => {
      const report = await createReport();
      const token = await mint(report.embed.embedId);
      for (const path of [`/cards/${report.embed.embedId}?referenceId=3`, `/embed/cards/${report.embed.embedId}`]) {
        const res = await openViewer(path, token);
        expect(res.status).toBe(200);
        expect(res.text).toContain(report.name);
      }

      const other = await createReport();
      const dashboard = await post('/api-tokens/dashboards', {
        name: `Embedded dashboard ${(names += 1)}`,
        items: [
          { report: report.documentId, width: 6 },
          { report: other.documentId, width: 6 },
        ],
        embed: { enabled: true, allowedOrigins: [] },
      });
      const storyId = dashboard.embed.embedId;
      const story = await mint(storyId, [{ column: 'region', operator: 'IN', values: ['West'] }], ['READ'], 'stories');
      for (const path of [`/embed/stories/${storyId}`, `/embed/pages/${storyId}?referenceId=1`]) {
        expect((await openViewer(path, story)).status).toBe(200);
      }
      const res = await data(storyId, story, { pageSize: 1000 }, 'stories');
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(2);
      expect(res.body.data.map((entry: { name: string }) => entry.name)).toEqual([report.name, other.name]);
      for (const entry of res.body.data) expect(keysOf(entry.rows)).toEqual(expected((s) => s.region === 'West'));
      // A card's token does not open the story, nor the other way round.
      expectRefused(await data(storyId, token, {}, 'stories'), 403);
      expectRefused(await data(report.embed.embedId, story), 403);
    });

    it.each(OPERATOR_CASES)(
      'applies a token filter with %s: exactly the rows the seed says',
      async (_, filter, keep) => {
        const report = await createReport();
        const token = await mint(report.embed.embedId, [filter]);
        const rows = await rowsOf(report.embed.embedId, token);
        const want = expected(keep);
        expect(want.length).toBeGreaterThan(0);
        expect(want.length).toBeLessThan(SALES);
        expect(keysOf(rows)).toEqual(want);
      }
    );

    it('ANDs viewer filters (FILTER only) and inputs with the token filters: they can only narrow', async () => {
      const report = await createReport();
      const { embedId } = report.embed;
      const grant = { column: 'region', operator: 'IN', values: ['North', 'East'] };
      const token = await mint(embedId, [grant], ['READ', 'FILTER']);
      const granted = (s: Sale) => ['North', 'East'].includes(s.region);

      // Asking for a region outside the grant, or for every region, shows no more than the grant.
      expect(
        await rowsOf(embedId, token, { filters: [{ column: 'region', operator: 'EQUALS', values: ['South'] }] })
      ).toEqual([]);
      expect(
        keysOf(
          await rowsOf(embedId, token, {
            filters: [{ column: 'region', operator: 'IN', values: ['North', 'South', 'East', 'West'] }],
          })
        )
      ).toEqual(expected(granted));
      expect(
        keysOf(
          await rowsOf(embedId, token, {
            filters: [{ column: 'region', operator: 'NOT_EQUALS', values: ['North'] }],
          })
        )
      ).toEqual(expected((s) => s.region === 'East'));
      expect(
        keysOf(
          await rowsOf(embedId, token, {
            filters: [{ column: 'amount', operator: 'GREATER_THAN', values: ['200'] }],
            inputs: { channel: 'retail' },
          })
        )
      ).toEqual(expected((s) => granted(s) && s.amount > 200 && s.channel === 'retail'));

      // Bad viewer filters and inputs: 400 naming the path.
      expectFieldError(
        await data(embedId, token, { filters: [{ column: 'nope', operator: 'EQUALS', values: ['x'] }] }),
        'filters[0].column'
      );
      expectFieldError(
        await data(embedId, token, { filters: [{ column: 'amount', operator: 'BETWEEN', values: ['1', 'x'] }] }),
        'filters[0].values[1]'
      );
      expectFieldError(await data(embedId, token, { inputs: { channel: 'mail-order' } }), 'inputs.channel');
      expectFieldError(await data(embedId, token, { inputs: { nope: 'x' } }), 'inputs.nope');
      expectFieldError(await data(embedId, token, { pageSize: 5000 }), 'pageSize');
      expectFieldError(await data(embedId, token, { page: 0 }), 'page');
      expectFieldError(await data(embedId, token, { extra: true }), 'extra');

      // Without FILTER, viewer filters are refused; an empty list asks for nothing.
      const readOnly = await mint(embedId, [grant]);
      expectRefused(
        await data(embedId, readOnly, { filters: [{ column: 'region', operator: 'EQUALS', values: ['North'] }] }),
        403
      );
      expect(keysOf(await rowsOf(embedId, readOnly, { filters: [] }))).toEqual(expected(granted));
    });

    it("fails closed when the token's filters no longer parse against the card's columns", async () => {
      const report = await createReport();
      const { embedId } = report.embed;
      const token = await mint(embedId, [{ column: 'product', operator: 'EQUALS', values: ['Widget'] }]);
      // The model loses the filtered column (the report does not use it): no row may be shown without the filter.
      const slim = await post('/api-tokens/semantic-models', {
        name: `Slim ${(names += 1)}`,
        source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount', 'quantity'] },
        refresh: { mode: 'manual' },
      });
      await app.strapi.plugin('api-tokens').service('semantic-models').refresh(slim.documentId);
      const updated = await app.admin.put(`/api-tokens/reports/${report.documentId}`).send({
        semanticModel: slim.documentId,
        query: { columns: ['region', 'channel', 'amount', 'quantity'] },
      });
      expect(updated.status).toBe(200);
      const res = await data(embedId, token);
      expect(res.status).toBe(409);
      expect(res.body.error.details.code).toBe('EMBED_FILTERS_STALE');
      expect(res.body.data).toBeNull();
    });

    it('exports the same rows as CSV (EXPORT only), by bearer or by the embedToken form field', async () => {
      const report = await createReport();
      const { embedId } = report.embed;
      const grant = { column: 'region', operator: 'IN', values: ['South'] };
      const token = await mint(embedId, [grant], ['READ', 'FILTER', 'EXPORT']);
      const viewerFilter = { column: 'quantity', operator: 'GREATER_THAN', values: ['12'] };
      const keep = (s: Sale) => s.region === 'South' && s.quantity > 12 && s.channel === 'partner';

      const csvKeys = (text: string) => {
        expect(text.charCodeAt(0)).toBe(0xfeff);
        const [header, ...lines] = text.slice(1).trimEnd().split('\r\n');
        expect(header).toBe(COLUMNS.join(','));
        return lines
          .map((line) => {
            const [region, channel, product, amount, quantity] = line.split(',');
            return keyOf({ region, channel, product, amount, quantity });
          })
          .sort();
      };

      const byBearer = await app
        .anonymous()
        .post(`/embed/cards/${embedId}/export`)
        .set('Authorization', `Bearer ${token}`)
        .send({ filters: [viewerFilter], inputs: { channel: 'partner' } })
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => done(null, text));
        });
      expect(byBearer.status).toBe(200);
      expect(byBearer.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(byBearer.headers['content-disposition']).toMatch(/^attachment; filename="Sales rows \d+\.csv"/);
      const want = expected(keep);
      expect(want.length).toBeGreaterThan(0);
      expect(csvKeys(byBearer.body)).toEqual(want);

      const byForm = await app
        .anonymous()
        .post(`/embed/cards/${embedId}/export`)
        .type('form')
        .send({
          embedToken: token,
          filters: JSON.stringify([viewerFilter]),
          inputs: JSON.stringify({ channel: 'partner' }),
        })
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => done(null, text));
        });
      expect(byForm.status).toBe(200);
      expect(csvKeys(byForm.body)).toEqual(want);

      expectFieldError(
        await app
          .anonymous()
          .post(`/embed/cards/${embedId}/export`)
          .type('form')
          .send({ embedToken: token, filters: '[' }),
        'filters'
      );
      const noExport = await mint(embedId, [grant], ['READ', 'FILTER']);
      expectRefused(
        await app
          .anonymous()
          .post(`/embed/cards/${embedId}/export`)
          .set('Authorization', `Bearer ${noExport}`)
          .send({}),
        403
      );
      expectRefused(
        await app.anonymous().post(`/embed/cards/${embedId}/export`).type('form').send({ embedToken: noExport }),
        403
      );
      expectRefused(await app.anonymous().post(`/embed/cards/${embedId}/export`).send({}), 401, 'TOKEN_INVALID');
    });

    it('refuses tampered, unsigned, expired, revoked and wrong-embed tokens with their codes', async () => {
      const report = await createReport();
      const { embedId } = report.embed;
      const token = await mint(embedId);
      expect((await data(embedId, token)).status).toBe(200);

      // Tampered: the payload widened (another embed id's grant dropped in), the signature kept.
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const widened = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url');
      expectRefused(await data(embedId, `${header}.${widened}.${signature}`), 401, 'TOKEN_INVALID');
      expectRefused(await data(embedId, `${token.slice(0, -2)}xx`), 401, 'TOKEN_INVALID');
      // alg: none, with the same kid and claims.
      const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url')}.${payload}.`;
      expectRefused(await data(embedId, none), 401, 'TOKEN_INVALID');
      expect(jwt.decode(none)).toMatchObject({ jti: claims.jti });
      expectRefused(await data(embedId, 'not-a-jwt'), 401, 'TOKEN_INVALID');
      expectRefused(await app.anonymous().post(`/embed/cards/${embedId}/data`).send({}), 401, 'TOKEN_INVALID');

      // Expired: issued two hours ago (a test clock) for ten minutes.
      const embeds = app.strapi.plugin('api-tokens').service('embeds');
      const issuer = { subject: 'test', actor: 'test' };
      const old = await embeds.issue(
        'card',
        { sessionLength: 10, authorizations: [{ token: embedId, permissions: ['READ'] }] },
        issuer,
        Date.now() - 2 * 60 * 60 * 1000
      );
      expectRefused(await data(embedId, old.authentication), 401, 'TOKEN_EXPIRED');
      const expiredPage = await openViewer(`/embed/cards/${embedId}`, old.authentication);
      expect(expiredPage.status).toBe(401);
      expect(expiredPage.headers['content-type']).toMatch(/^text\/html/);
      expect(expiredPage.text).toContain('TOKEN_EXPIRED');
      expect(expiredPage.headers['x-frame-options']).toBeUndefined();

      // Revoked by jti.
      const revoked = await app.bearer(apiToken).post('/api/api-tokens/embed-tokens/revoke').send({ jti: claims.jti });
      expect(revoked.status).toBe(200);
      expectRefused(await data(embedId, token), 401, 'TOKEN_INVALID');
      expect((await openViewer(`/embed/cards/${embedId}`, token)).status).toBe(401);

      // Wrong embed: a token for another card.
      const other = await createReport();
      const otherToken = await mint(other.embed.embedId);
      expectRefused(await data(embedId, otherToken), 403);
      expect((await openViewer(`/embed/cards/${embedId}`, otherToken)).status).toBe(403);
      expectRefused(
        await app.anonymous().post(`/embed/cards/${embedId}/export`).type('form').send({ embedToken: otherToken }),
        403
      );

      // Revoked by the embed's cutoff: every token issued before it, not one issued after.
      const before = await mint(embedId);
      const cutoff = Date.now() + 1000;
      await embeds.revokeBefore('card', report.documentId, 'test', cutoff);
      expectRefused(await data(embedId, before), 401, 'TOKEN_INVALID');
      const after = await embeds.issue(
        'card',
        { authorizations: [{ token: embedId, permissions: ['READ'] }] },
        issuer,
        cutoff + 1000
      );
      expect((await data(embedId, after.authentication)).status).toBe(200);

      // A disabled embed is gone, whatever the token.
      await app.admin.put(`/api-tokens/reports/${report.documentId}`).send({ embed: { enabled: false } });
      expectRefused(await data(embedId, after.authentication), 404);
    });

    it("sends frame-ancestors from the embed's allowed origins ('self' when there are none)", async () => {
      const report = await createReport({ embed: { enabled: true, allowedOrigins: ['https://app.example.com:8443'] } });
      const token = await mint(report.embed.embedId);
      const page = await openViewer(`/embed/cards/${report.embed.embedId}`, token);
      expect(page.status).toBe(200);
      expect(frameAncestors(page.headers['content-security-policy'])).toBe("'self' https://app.example.com:8443");
      expect(page.headers['x-frame-options']).toBeUndefined();

      const none = await createReport();
      const res = await openViewer(`/embed/cards/${none.embed.embedId}`, await mint(none.embed.embedId));
      expect(frameAncestors(res.headers['content-security-policy'])).toBe("'self'");
    });

    it('escapes names and values it renders, and audits uses by jti, never the JWT', async () => {
      const report = await createReport({ name: '<script>alert(1)</script>' });
      const token = await mint(report.embed.embedId);
      const page = await openViewer(`/embed/cards/${report.embed.embedId}`, token);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>alert(1)');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      // In the JSON block, the name cannot close the script element.
      expect(page.text).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');

      await data(report.embed.embedId, token);
      // The sampled audit is written in the background.
      const auditOf = () =>
        app.strapi.db
          .query('plugin::api-tokens.audit-event')
          .findMany({ where: { action: 'embed-token.used', subjectId: report.documentId } });
      let events = await auditOf();
      for (let tries = 0; events.length === 0 && tries < 20; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        events = await auditOf();
      }
      expect(events.length).toBe(1);
      const { jti } = jwt.decode(token) as { jti: string };
      expect(events[0].details).toMatchObject({ jti, embedId: report.embed.embedId });
      expect(JSON.stringify(events)).not.toContain(token);
    });
  });
