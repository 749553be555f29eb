import { seedSales } from '../../src/demo/seed';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A source a team might register: pages arrive slowly, or the feed breaks after a page. */
const testSource = {
  type: 'test-feed',
  displayName: 'Test feed',
  validate: (definition: any) =>
    typeof definition.pages === 'number' ? null : { path: 'source.pages', message: 'source.pages must be a number' },
  columns: () => [
    { name: 'n', type: 'integer' as const },
    { name: 'label', type: 'string' as const },
  ],
  async *read(definition: any) {
    for (let page = 0; page < definition.pages; page += 1) {
      await sleep(definition.delayMs ?? 0);
      if (definition.failAtPage === page) throw new Error(`feed broke at page ${page}`);
      yield Array.from({ length: 10 }, (_, i) => ({ n: page * 10 + i, label: `row ${page * 10 + i}` }));
    }
  },
};

describe('semantic-model refreshes through the run API', () => {
  let app: TestApp;
  let refresher: string;
  let subscriber: string;

  const createModel = async (name: string, source: object) => {
    const res = await app.admin
      .post('/api-tokens/semantic-models')
      .send({ name, source, refresh: { mode: 'manual' } })
      .expect(201);
    return res.body.data.documentId as string;
  };
  const requestRefresh = (token: string, modelId: string) =>
    app.bearer(token).post(`/api/api-tokens/semantic-models/${modelId}/refreshes`);
  const pollRun = async (runId: string, until: (run: any) => boolean) => {
    for (let i = 0; i < 200; i += 1) {
      const res = await app.bearer(refresher).get(`/api/api-tokens/runs/${runId}`).expect(200);
      if (until(res.body.data)) return res.body.data;
      await sleep(25);
    }
    throw new Error(`run ${runId} never reached the expected state`);
  };
  const finished = (run: any) => ['succeeded', 'failed', 'cancelled'].includes(run.status);

  beforeAll(async () => {
    app = await startStrapi({ env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
    app.strapi.plugin('api-tokens').service('sources').register(testSource);
    await seedSales(app.strapi, 120);
    refresher = (await issueToken(app, { scopes: ['semantic-models:refresh'] })).accessKey;
    subscriber = (await issueToken(app, { scopes: ['subscriptions:execute'] })).accessKey;
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('refreshes the sales model for an external app, which polls the run to succeeded', async () => {
    const modelId = await createModel('Sales', {
      type: 'content-type',
      uid: 'api::sale.sale',
      fields: ['region', 'amount'],
    });
    const res = await requestRefresh(refresher, modelId).expect(202);
    const run = res.body.data;
    expect(res.headers.location).toBe(`/api/api-tokens/runs/${run.id}`);
    expect(run).toMatchObject({ kind: 'refresh', targetId: modelId, trigger: 'api', attempt: 1 });
    expect(['queued', 'running']).toContain(run.status);

    const done = await pollRun(run.id, finished);
    expect(done).toMatchObject({ status: 'succeeded', error: null, stats: { rows: 120 } });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    const model = await app.admin.get(`/api-tokens/semantic-models/${modelId}`).expect(200);
    expect(model.body.data).toMatchObject({ status: 'ready', rowCount: 120 });
  });

  it('answers 409 with the active run id, and the same run for a repeated Idempotency-Key', async () => {
    const modelId = await createModel('Slow feed', { type: 'test-feed', pages: 20, delayMs: 30 });
    const first = await requestRefresh(refresher, modelId).set('Idempotency-Key', 'nightly-1').expect(202);
    const again = await requestRefresh(refresher, modelId).set('Idempotency-Key', 'nightly-1').expect(202);
    expect(again.body.data.id).toBe(first.body.data.id);

    const conflict = await requestRefresh(refresher, modelId);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      data: null,
      error: { status: 409, name: 'ConflictError', details: { runId: first.body.data.id } },
    });
    const done = await pollRun(first.body.data.id, finished);
    expect(done).toMatchObject({ status: 'succeeded', stats: { rows: 200 } });
    expect((await requestRefresh(refresher, modelId).set('Idempotency-Key', 'nightly-1')).body.data.id).toBe(
      first.body.data.id
    );
    expect((await requestRefresh(refresher, modelId).set('Idempotency-Key', 'x'.repeat(300))).status).toBe(400);
  });

  it('cancels a running refresh at its next page, keeping the previous snapshot', async () => {
    const modelId = await createModel('Cancellable', { type: 'test-feed', pages: 2 });
    await pollRun((await requestRefresh(refresher, modelId).expect(202)).body.data.id, finished);
    await app.admin
      .put(`/api-tokens/semantic-models/${modelId}`)
      .send({ source: { type: 'test-feed', pages: 200, delayMs: 20 } })
      .expect(200);

    const run = (await requestRefresh(refresher, modelId).expect(202)).body.data;
    await pollRun(run.id, (r) => r.status === 'running' && (r.stats?.rows ?? 0) > 0);
    expectStatus(await app.bearer(subscriber).delete(`/api/api-tokens/runs/${run.id}`), 403);
    await app.bearer(refresher).delete(`/api/api-tokens/runs/${run.id}`).expect(200);
    const done = await pollRun(run.id, finished);
    expect(done.status).toBe('cancelled');
    expect(done.stats.rows).toBeLessThan(2000);
    const model = await app.admin.get(`/api-tokens/semantic-models/${modelId}`).expect(200);
    expect(model.body.data).toMatchObject({ status: 'ready', rowCount: 20, lastError: null });
    const preview = await app.admin.get(`/api-tokens/semantic-models/${modelId}/preview?limit=100`).expect(200);
    expect(preview.body.data.rows).toHaveLength(20);
  });

  it('recovers a refresh whose runner died (its lease expired): the run fails, a retry refreshes the model', async () => {
    const modelId = await createModel('Orphaned', { type: 'test-feed', pages: 150, delayMs: 20 });
    const runs = app.strapi.plugin('api-tokens').service('runs');
    const run = (await requestRefresh(refresher, modelId).expect(202)).body.data;
    await pollRun(run.id, (r) => r.status === 'running' && (r.stats?.rows ?? 0) > 0);
    // The runner "dies": its lease runs out without a heartbeat.
    await app.strapi.db
      .query('plugin::api-tokens.job-run')
      .update({ where: { documentId: run.id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    await app.strapi.db
      .query('plugin::api-tokens.semantic-model')
      .update({ where: { documentId: modelId }, data: { source: { type: 'test-feed', pages: 3 } } });
    expect(await runs.recoverExpiredLeases()).toBe(1);

    const failed = await pollRun(run.id, finished);
    expect(failed).toMatchObject({ status: 'failed', error: 'lease expired' });
    const retry = (await runs.list({ kind: 'refresh', targetId: modelId, status: 'queued' })).results[0];
    expect(retry).toMatchObject({ attempt: 2, trigger: 'api' });
    expect(new Date(retry.notBefore).getTime()).toBeGreaterThan(Date.now());

    await runs.drain(new Date(Date.now() + 10 * 60_000));
    expect((await runs.waitFor(retry.id)).status).toBe('succeeded');
    await runs.waitFor(run.id).catch(() => {});
    await sleep(200);
    const model = await app.admin.get(`/api-tokens/semantic-models/${modelId}`).expect(200);
    expect(model.body.data).toMatchObject({ status: 'ready', rowCount: 30 });
    const row = await app.strapi.db
      .query('plugin::api-tokens.semantic-model')
      .findOne({ where: { documentId: modelId } });
    const prefix = `api_tokens_snapshot_${row.id}_`;
    const tables = (await app.strapi.db.dialect.schemaInspector.getTables()).filter((t: string) =>
      t.startsWith(prefix)
    );
    expect(tables).toEqual([row.snapshotTable]);
  });

  it('marks the run failed with the error when the source breaks, and the model keeps its data', async () => {
    const modelId = await createModel('Breaks', { type: 'test-feed', pages: 3 });
    await pollRun((await requestRefresh(refresher, modelId).expect(202)).body.data.id, finished);
    await app.admin
      .put(`/api-tokens/semantic-models/${modelId}`)
      .send({ source: { type: 'test-feed', pages: 3, failAtPage: 1 } })
      .expect(200);
    const run = (await requestRefresh(refresher, modelId).expect(202)).body.data;
    const done = await pollRun(run.id, finished);
    expect(done).toMatchObject({ status: 'failed', error: 'feed broke at page 1' });
    const model = await app.admin.get(`/api-tokens/semantic-models/${modelId}`).expect(200);
    expect(model.body.data).toMatchObject({ status: 'failed', lastError: 'feed broke at page 1', rowCount: 30 });
  });

  it('refreshes from the admin panel too', async () => {
    const modelId = await createModel('Admin refresh', { type: 'test-feed', pages: 1 });
    const res = await app.admin.post(`/api-tokens/semantic-models/${modelId}/refresh`).expect(202);
    expect(res.body.data).toMatchObject({ kind: 'refresh', trigger: 'admin' });
    expect((await pollRun(res.body.data.id, finished)).status).toBe('succeeded');
  });

  it('refreshes a scheduled model when the scheduler tick finds it due', async () => {
    const res = await app.admin
      .post('/api-tokens/semantic-models')
      .send({
        name: 'Scheduled',
        source: { type: 'test-feed', pages: 2 },
        refresh: { mode: 'scheduled', cron: '*/5 * * * *', timezone: 'Europe/Berlin' },
      })
      .expect(201);
    const modelId = res.body.data.documentId;
    const scheduler = app.strapi.plugin('api-tokens').service('scheduler');
    const runs = app.strapi.plugin('api-tokens').service('runs');
    const due = new Date(Math.ceil((Date.now() + 60_000) / 300_000) * 300_000 + 1000);
    const { queued } = await scheduler.tick(due);
    const mine = queued.filter((run: any) => run.targetId === modelId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      kind: 'refresh',
      trigger: 'schedule',
      scheduledFor: new Date(due.getTime() - 1000).toISOString(),
    });
    await runs.drain(due);
    expect((await runs.waitFor(mine[0].id)).status).toBe('succeeded');
    expect((await app.admin.get(`/api-tokens/semantic-models/${modelId}`).expect(200)).body.data.rowCount).toBe(20);
    expect((await scheduler.tick(due)).queued.filter((run: any) => run.targetId === modelId)).toHaveLength(0);
  });

  it("keeps a model's schedule row in step with its refresh settings", async () => {
    const schedules = app.strapi.plugin('api-tokens').service('schedules');
    const res = await app.admin
      .post('/api-tokens/semantic-models')
      .send({
        name: 'Row follows',
        source: { type: 'test-feed', pages: 1 },
        refresh: { mode: 'scheduled', cron: '0 6 * * *', timezone: 'Asia/Kolkata' },
      })
      .expect(201);
    const modelId = res.body.data.documentId;
    const created = await schedules.find('refresh', modelId);
    expect(created).toMatchObject({ cron: '0 6 * * *', timezone: 'Asia/Kolkata', missedRunPolicy: 'once' });
    // 06:00 in Kolkata is 00:30 UTC, the first one after the model was created.
    const next = new Date(created.nextRunAt);
    expect(next.toISOString()).toMatch(/T00:30:00\.000Z$/);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(new Date(created.followingRunAt).getTime() - next.getTime()).toBe(24 * 3_600_000);
    // The model answers with its next refresh, on its own and in the list.
    expect(res.body.data.nextRefreshAt).toBe(next.toISOString());
    const listed = (await app.admin.get('/api-tokens/semantic-models').expect(200)).body.data;
    expect(listed.find((model: any) => model.documentId === modelId).nextRefreshAt).toBe(next.toISOString());

    await app.admin
      .put(`/api-tokens/semantic-models/${modelId}`)
      .send({ refresh: { mode: 'scheduled', cron: '15 * * * *', timezone: 'UTC' } })
      .expect(200);
    const changed = await schedules.find('refresh', modelId);
    expect(changed).toMatchObject({ cron: '15 * * * *', timezone: 'UTC' });
    expect(new Date(changed.nextRunAt).toISOString()).toMatch(/:15:00\.000Z$/);
    expect((await app.admin.get(`/api-tokens/semantic-models/${modelId}`).expect(200)).body.data.nextRefreshAt).toBe(
      new Date(changed.nextRunAt).toISOString()
    );

    const manual = await app.admin
      .put(`/api-tokens/semantic-models/${modelId}`)
      .send({ refresh: { mode: 'manual' } })
      .expect(200);
    expect(await schedules.find('refresh', modelId)).toBeNull();
    expect(manual.body.data.nextRefreshAt).toBeNull();

    await app.admin
      .put(`/api-tokens/semantic-models/${modelId}`)
      .send({ refresh: { mode: 'scheduled', cron: '15 * * * *', timezone: 'UTC' } })
      .expect(200);
    expect(await schedules.find('refresh', modelId)).not.toBeNull();
    await app.admin.delete(`/api-tokens/semantic-models/${modelId}`).expect(200);
    expect(await schedules.find('refresh', modelId)).toBeNull();
  });

  it('reconciles schedule rows with models written around the plugin services', async () => {
    const schedules = app.strapi.plugin('api-tokens').service('schedules');
    const kind = app.strapi.plugin('api-tokens').service('runs').getKind('refresh');
    const model = await app.strapi.db.query('plugin::api-tokens.semantic-model').create({
      data: {
        name: 'Written directly',
        source: { type: 'test-feed', pages: 1 },
        refresh: { mode: 'scheduled', cron: '0 4 * * 1', timezone: 'America/New_York' },
        status: 'empty',
        rowCount: 0,
      },
    });
    expect(await schedules.find('refresh', model.documentId)).toBeNull();
    const first = await schedules.reconcile(kind);
    expect(first.created).toBeGreaterThanOrEqual(1);
    const row = await schedules.find('refresh', model.documentId);
    expect(row).toMatchObject({ cron: '0 4 * * 1', timezone: 'America/New_York' });
    expect(new Date(row.nextRunAt).getUTCDay()).toBe(1);

    // Nothing changed: a second pass touches nothing.
    expect(await schedules.reconcile(kind)).toEqual({ created: 0, updated: 0, removed: 0 });

    await app.strapi.db.query('plugin::api-tokens.semantic-model').delete({ where: { id: model.id } });
    expect((await schedules.reconcile(kind)).removed).toBe(1);
    expect(await schedules.find('refresh', model.documentId)).toBeNull();
  });

  it('previews the next runs of a schedule for the editor', async () => {
    const res = await app.admin
      .get('/api-tokens/schedule-preview')
      .query({ cron: '30 2 * * *', timezone: 'Europe/Berlin', count: 3 })
      .expect(200);
    expect(res.body.data.next).toHaveLength(3);
    for (const iso of res.body.data.next) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(iso));
      expect(local).toBe('02:30');
    }
    const bad = await app.admin.get('/api-tokens/schedule-preview').query({ cron: 'soon', timezone: 'Europe/Berlin' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['cron']);
    const zone = await app.admin
      .get('/api-tokens/schedule-preview')
      .query({ cron: '0 * * * *', timezone: 'Nowhere/City' });
    expect(zone.body.error.details.errors[0].path).toEqual(['timezone']);
    const withSeconds = await app.admin
      .get('/api-tokens/schedule-preview')
      .query({ cron: '*/20 * * * * *', timezone: 'UTC' });
    expect(withSeconds.status).toBe(400);
    expect(withSeconds.body.error.message).toMatch(/cron must have 5 fields .*a seconds field is not supported/);
    expect(withSeconds.body.error.details.errors[0].path).toEqual(['cron']);
    // The same rule when a model is saved, naming the field.
    const saved = await app.admin.post('/api-tokens/semantic-models').send({
      name: 'Six fields',
      source: { type: 'test-feed', pages: 1 },
      refresh: { mode: 'scheduled', cron: '0 30 2 * * *', timezone: 'UTC' },
    });
    expect(saved.status).toBe(400);
    expect(saved.body.error).toMatchObject({ name: 'ValidationError' });
    expect(saved.body.error.details.errors[0].path).toEqual(['refresh', 'cron']);
  });

  it('enforces the scope on every route: 401 without a token, 403 with the wrong one, 404 for unknown ids', async () => {
    const modelId = await createModel('Guarded', { type: 'test-feed', pages: 1 });
    const run = (await requestRefresh(refresher, modelId).expect(202)).body.data;
    await pollRun(run.id, finished);

    expectStatus(await app.anonymous().post(`/api/api-tokens/semantic-models/${modelId}/refreshes`), 401);
    expectStatus(await app.anonymous().get(`/api/api-tokens/runs/${run.id}`), 401);
    expectStatus(await app.anonymous().delete(`/api/api-tokens/runs/${run.id}`), 401);
    expectStatus(await requestRefresh(subscriber, modelId), 403);
    expectStatus(await app.bearer(subscriber).get(`/api/api-tokens/runs/${run.id}`), 403);
    expectStatus(await app.bearer(subscriber).delete(`/api/api-tokens/runs/${run.id}`), 403);
    expectStatus(await requestRefresh(refresher, 'no-such-model'), 404);
    expectStatus(await app.bearer(refresher).get('/api/api-tokens/runs/no-such-run'), 404);

    await app.admin.delete(`/api-tokens/semantic-models/${modelId}`).expect(200);
    expectStatus(await requestRefresh(refresher, modelId), 404);
  });
});

function expectStatus(res: any, status: number) {
  expect(res.status).toBe(status);
  expect(res.body.data).toBeNull();
  expect(res.body.error.status).toBe(status);
}
