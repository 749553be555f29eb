import jwt from 'jsonwebtoken';
import { demoReports, seedSales } from '../../src/demo/seed';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { describeOnDatabase } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';
import { eventually, sleep, startCluster, type Cluster } from './cluster';

const SUBSCRIPTIONS = 50;
const SALES = 5000;
const CACHE_SECONDS = 1;
const FIVE_MINUTES = 300_000;

interface Fixtures {
  model: string;
  card: { documentId: string; embedId: string };
  subscriptions: string[];
  /** A subscription with no schedule, for the trigger race. */
  triggered: string;
  /** semantic-models:refresh, subscriptions:execute, embed-tokens:create. */
  token: string;
}

const FINISHED = ['succeeded', 'failed', 'cancelled'];

describeOnDatabase('postgres')('three Strapi processes on one PostgreSQL database', () => {
  let smtp: SmtpTestServer;
  let cluster: Cluster<Fixtures>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    cluster = await startCluster({
      env: { ...smtp.env, API_TOKENS_CACHE_SECONDS: String(CACHE_SECONDS) },
      async setup(app) {
        const post = async (path: string, body: object) => {
          const res = await app.admin.post(path).send(body);
          if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
          return res.body.data;
        };
        await seedSales(app.strapi, SALES);
        const model = (
          await post('/api-tokens/semantic-models', {
            name: 'Sales',
            source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount', 'soldAt'] },
            refresh: { mode: 'manual' },
          })
        ).documentId;
        await app.strapi.plugin('api-tokens').service('semantic-models').refresh(model);
        const report = await post('/api-tokens/reports', { ...demoReports(model)[0], embed: { enabled: true } });
        const subscriptions: string[] = [];
        for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
          const subscription = await post('/api-tokens/subscriptions', {
            name: `Due together ${i}`,
            target: { type: 'report', id: report.documentId },
            recipients: [{ email: `due-${i}@example.com` }],
            format: 'csv',
            schedule: { cron: '*/5 * * * *', timezone: 'Europe/Berlin' },
          });
          subscriptions.push(subscription.documentId);
        }
        const triggered = await post('/api-tokens/subscriptions', {
          name: 'Triggered from three instances',
          target: { type: 'report', id: report.documentId },
          recipients: [1, 2, 3].map((i) => ({ email: `race-${i}@example.com` })),
          format: 'csv',
          schedule: null,
        });
        const token = await issueToken(app, {
          scopes: ['semantic-models:refresh', 'subscriptions:execute', 'embed-tokens:create'],
        });
        return {
          model,
          card: { documentId: report.documentId, embedId: report.embed.embedId },
          subscriptions,
          triggered: triggered.documentId,
          token: token.accessKey,
        };
      },
    });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await smtp?.close();
  }, 60_000);

  beforeEach(() => smtp.reset());

  /** Every instance ticks at `at`, twice each and all at once, then every instance drains. */
  const tickEverywhere = async (at: Date) => {
    const ticks = await Promise.all(
      [...cluster.instances, ...cluster.instances].map((instance) =>
        instance.call<{ queued: { id: string }[] }>('scheduler', 'tick', at)
      )
    );
    await Promise.all(cluster.instances.map((instance) => instance.call('runs', 'drain', at)));
    return ticks.map((tick) => tick.queued.map((run) => run.id));
  };

  it('runs and mails every occurrence of 50 subscriptions due in the same minutes exactly once', async () => {
    const { subscriptions } = cluster.fixtures;
    const firstDue = Math.ceil((Date.now() + 60_000) / FIVE_MINUTES) * FIVE_MINUTES;
    const occurrences = [firstDue, firstDue + FIVE_MINUTES];

    for (const [round, occurrence] of occurrences.entries()) {
      smtp.reset();
      const claimed = (await tickEverywhere(new Date(occurrence + 1000))).flat();
      // Six ticks raced for the 50 occurrences: each was claimed by exactly one of them.
      expect(claimed).toHaveLength(SUBSCRIPTIONS);
      expect(new Set(claimed).size).toBe(SUBSCRIPTIONS);

      const runs = await cluster.sql(
        `select target_id, status, attempt, lease_owner from api_tokens_job_runs
         where kind = 'subscription' and trigger = 'schedule' and scheduled_for = $1`,
        [new Date(occurrence)]
      );
      expect(runs).toHaveLength(SUBSCRIPTIONS);
      expect(new Set(runs.map((run) => run.target_id))).toEqual(new Set(subscriptions));
      for (const run of runs) expect(run).toMatchObject({ status: 'succeeded', attempt: 1 });
      const owners = cluster.instances.map(
        (instance) => runs.filter((run) => run.lease_owner === instance.owner).length
      );
      expect(owners.reduce((a, b) => a + b, 0)).toBe(SUBSCRIPTIONS);
      console.log(`occurrence ${round + 1}: runs per instance ${owners.join(' / ')}`);

      // The mails the SMTP server accepted: one per subscription's recipient, none twice.
      expect(smtp.messages).toHaveLength(SUBSCRIPTIONS);
      for (let i = 0; i < SUBSCRIPTIONS; i += 1) expect(smtp.messagesTo(`due-${i}@example.com`)).toHaveLength(1);
    }
    const deliveries = await cluster.sql(
      `select email, count(*)::int as n from api_tokens_deliveries where status = 'sent' group by email`
    );
    expect(deliveries).toHaveLength(SUBSCRIPTIONS);
    for (const delivery of deliveries) expect(delivery.n).toBe(occurrences.length);

    // Ticks later in the window claim nothing more on any instance.
    const again = await tickEverywhere(new Date(occurrences[1] + 30_000));
    expect(again.flat()).toHaveLength(0);
  });

  it('gives one run and 409s when refresh and subscription triggers reach all three instances at once', async () => {
    const { model, triggered, token } = cluster.fixtures;
    // Token lookups cached on every instance first, so the triggers below arrive within a few milliseconds.
    await Promise.all(cluster.instances.map((_, i) => cluster.http(i, token).get('/api/api-tokens/runs/warm-up')));
    smtp.delayMailFrom(300);

    const paths = [
      `/api/api-tokens/semantic-models/${model}/refreshes`,
      `/api/api-tokens/subscriptions/${triggered}/runs`,
    ];
    for (const path of paths) {
      const responses = await Promise.all([0, 1, 2, 0, 1, 2].map((i) => cluster.http(i, token).post(path).send({})));
      const accepted = responses.filter((res) => res.status === 202);
      const conflicts = responses.filter((res) => res.status === 409);
      expect(accepted).toHaveLength(1);
      expect(conflicts).toHaveLength(5);
      const runId = accepted[0].body.data.id;
      for (const res of conflicts) {
        expect(res.body.error.details).toMatchObject({ code: 'RUN_ACTIVE', runId });
      }
      const run = await eventually(async () => {
        const res = await cluster.http(2, token).get(`/api/api-tokens/runs/${runId}`).expect(200);
        return FINISHED.includes(res.body.data.status) ? res.body.data : null;
      }, 60_000);
      expect(run.status).toBe('succeeded');
      const [{ n }] = await cluster.sql(`select count(*)::int as n from api_tokens_job_runs where target_id = $1`, [
        run.targetId,
      ]);
      expect(n).toBe(1);
    }
    for (const i of [1, 2, 3]) expect(smtp.messagesTo(`race-${i}@example.com`)).toHaveLength(1);
  });

  it('verifies an embed token minted on one instance on the others, and honours a revocation everywhere within tokenCacheSeconds', async () => {
    const { card, token } = cluster.fixtures;
    const data = (i: number, embedToken: string) =>
      cluster.http(i).post(`/embed/cards/${card.embedId}/data`).set('Authorization', `Bearer ${embedToken}`).send({});

    const minted = await cluster
      .http(0, token)
      .post('/v1/cards/embed/auth')
      .send({ sessionLength: 10, authorizations: [{ token: card.embedId, permissions: ['READ'] }] })
      .expect(201);
    const embedToken: string = minted.body.authentication;
    for (const i of [0, 1, 2]) {
      const res = await data(i, embedToken);
      expect(res.status).toBe(200);
      expect(res.body.data.rows.length).toBeGreaterThan(0);
    }

    // Every instance has the denylist cached now; the revocation goes to the second one.
    const { jti } = jwt.decode(embedToken) as { jti: string };
    await cluster.http(1, token).post('/api/api-tokens/embed-tokens/revoke').send({ jti }).expect(200);
    expect((await data(1, embedToken)).status).toBe(401);
    await sleep(CACHE_SECONDS * 1000);
    for (const i of [0, 1, 2]) {
      const res = await data(i, embedToken);
      expect(res.status).toBe(401);
      expect(res.body.error.details.code).toBe('TOKEN_INVALID');
    }
  });
});
