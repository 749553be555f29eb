import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';

const AUDIT_UID = 'plugin::api-tokens.audit-event';

/** A source whose first page waits for the test, so its refresh stays `running` until then. */
const blockingSource = () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    release,
    source: {
      type: 'blocking',
      displayName: 'Blocking (test)',
      validate: () => null,
      columns: () => [{ name: 'n', type: 'integer' as const }],
      async *read() {
        await released;
        yield [{ n: 1 }];
        yield [{ n: 2 }];
      },
    },
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const database of ['sqlite', 'postgres'] as Database[]) {
  describeOnDatabase(database)(`admin run cancel and error codes (${database})`, () => {
    let app: TestApp;
    let blocking: ReturnType<typeof blockingSource>;
    let modelId: string;

    const runOf = async (runId: string) => (await app.admin.get(`/api-tokens/runs/${runId}`).expect(200)).body.data;
    const waitForStatus = async (runId: string, statuses: string[]) => {
      for (let i = 0; i < 200; i += 1) {
        const run = await runOf(runId);
        if (statuses.includes(run.status)) return run;
        await sleep(50);
      }
      throw new Error(`run ${runId} never reached ${statuses.join('/')}`);
    };

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      blocking = blockingSource();
      app.strapi.plugin('api-tokens').service('sources').register(blocking.source);
      const created = await app.admin
        .post('/api-tokens/semantic-models')
        .send({ name: 'Blocking', source: { type: 'blocking' }, refresh: { mode: 'manual' } })
        .expect(201);
      modelId = created.body.data.documentId;
    });

    afterAll(async () => {
      blocking?.release();
      await app?.stop();
    });

    it('answers a preview before the first refresh with 409 MODEL_NOT_READY', async () => {
      const res = await app.admin.get(`/api-tokens/semantic-models/${modelId}/preview`).expect(409);
      expect(res.body.error.details.code).toBe('MODEL_NOT_READY');
    });

    it('cancels a running run from the admin, audits it, and tells the codes of both 409s apart', async () => {
      const triggered = await app.admin.post(`/api-tokens/semantic-models/${modelId}/refresh`).expect(202);
      const runId = triggered.body.data.id;
      await waitForStatus(runId, ['running']);

      const busy = await app.admin.post(`/api-tokens/semantic-models/${modelId}/refresh`).expect(409);
      expect(busy.body.error.details).toMatchObject({ code: 'RUN_ACTIVE', runId });

      const editor = await app.adminWithRole('strapi-editor');
      await editor.post(`/api-tokens/runs/${runId}/cancel`).expect(403);

      const cancelled = await app.admin.post(`/api-tokens/runs/${runId}/cancel`).expect(200);
      expect(cancelled.body.data).toMatchObject({ id: runId, status: 'running' });
      expect(cancelled.body.data.cancelRequestedAt).toEqual(expect.any(String));

      blocking.release();
      expect((await waitForStatus(runId, ['cancelled', 'succeeded', 'failed'])).status).toBe('cancelled');

      const again = await app.admin.post(`/api-tokens/runs/${runId}/cancel`).expect(409);
      expect(again.body.error.details).toMatchObject({ code: 'RUN_FINISHED', runId });

      const adminUser = await app.strapi.db.query('admin::user').findOne({ where: { email: 'admin@test.local' } });
      const events = await app.strapi.db.query(AUDIT_UID).findMany({ where: { action: 'run.cancelled' } });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ subjectType: 'run', subjectId: runId, actor: `admin:${adminUser.id}` });
    });

    it('cancels a queued run at once, and answers an unknown run with 404', async () => {
      // A retry waiting out its backoff: queued, and not due for an hour.
      const runs = app.strapi.plugin('api-tokens').service('runs');
      const queued = await app.strapi.db.query('plugin::api-tokens.job-run').create({
        data: {
          kind: 'refresh',
          targetId: `missing-${Date.now()}`,
          status: 'queued',
          trigger: 'admin',
          attempt: 1,
          notBefore: new Date(Date.now() + 3_600_000),
        },
      });
      const res = await app.admin.post(`/api-tokens/runs/${queued.documentId}/cancel`).expect(200);
      expect(res.body.data).toMatchObject({ id: queued.documentId, status: 'cancelled' });
      expect((await runs.get(queued.documentId)).status).toBe('cancelled');

      const unknown = await app.admin.post('/api-tokens/runs/nope/cancel').expect(404);
      expect(unknown.body.error.name).toBe('NotFoundError');
    });
  });
}
