import { demoReports, seedSales } from '../../src/demo/seed';
import type { InstanceProcess } from '../helpers/instances';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { describeOnDatabase } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';
import { eventually, startCluster, type Cluster } from './cluster';

const SALES = 20_000;
const RECIPIENTS = 20;
const LEASE_SECONDS = 3;
const TICK_SECONDS = 1;
const RETRY_BASE_SECONDS = 1;

interface Fixtures {
  model: string;
  subscription: string;
  token: string;
}

interface RunRow {
  id: number;
  document_id: string;
  status: string;
  attempt: number;
  error: string | null;
  lease_owner: string | null;
  delivery_key: string | null;
  rows: number | null;
  sent: number | null;
  started_at: Date | null;
  finished_at: Date | null;
  not_before: Date | null;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

describeOnDatabase('postgres')('crash recovery across three Strapi processes', () => {
  let smtp: SmtpTestServer;
  let cluster: Cluster<Fixtures>;
  const report: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    cluster = await startCluster({
      env: smtp.env,
      // Every instance ticks each second, a dead runner's lease lapses after 3 s, and the first retry waits 1 s.
      instanceEnv: {
        API_TOKENS_SCHEDULER_ENABLED: 'true',
        API_TOKENS_SCHEDULER_TICK_SECONDS: String(TICK_SECONDS),
        API_TOKENS_RUN_LEASE_SECONDS: String(LEASE_SECONDS),
        API_TOKENS_RUN_RETRY_BASE_SECONDS: String(RETRY_BASE_SECONDS),
      },
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
            source: {
              type: 'content-type',
              uid: 'api::sale.sale',
              fields: ['region', 'product', 'channel', 'quantity', 'amount', 'soldAt'],
            },
            refresh: { mode: 'manual' },
          })
        ).documentId;
        const byRegion = await post('/api-tokens/reports', { ...demoReports(model)[0], embed: { enabled: false } });
        const subscription = await post('/api-tokens/subscriptions', {
          name: 'Twenty recipients',
          target: { type: 'report', id: byRegion.documentId },
          recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({ email: `crash-${i}@example.com` })),
          format: 'csv',
          schedule: null,
        });
        const token = await issueToken(app, { scopes: ['semantic-models:refresh', 'subscriptions:execute'] });
        return { model, subscription: subscription.documentId, token: token.accessKey };
      },
    });
  }, 300_000);

  afterAll(async () => {
    if (report.length) console.log(['Crash recovery (kill -9 → …):', ...report].join('\n'));
    await cluster?.stop();
    await smtp?.close();
  }, 60_000);

  const runsOf = (targetId: string) =>
    cluster.sql<RunRow>(
      `select id, document_id, status, attempt, error, lease_owner, delivery_key, started_at, finished_at, not_before,
              (stats->>'rows')::int as rows, (stats->>'sent')::int as sent
       from api_tokens_job_runs where target_id = $1 order by attempt, id`,
      [targetId]
    );
  const dead = new Set<InstanceProcess>();

  /** Kills the instance running `run` with SIGKILL; resolves with the time of the kill. */
  const killOwner = async (run: RunRow) => {
    const owner = cluster.instances.find((instance) => instance.owner === run.lease_owner);
    if (!owner) throw new Error(`no instance owns the run (lease owner ${run.lease_owner})`);
    await owner.kill9();
    const killedAt = Date.now();
    dead.add(owner);
    return { owner, killedAt };
  };

  /**
   * Waits for the dead runner's run to be failed by lease expiry and for its retry to finish on a survivor; returns
   * both rows and the times from the kill.
   */
  const recovery = async (targetId: string, killedAt: number, survivors: InstanceProcess[]) => {
    const [first, retry] = await eventually(
      async () => {
        const rows = await runsOf(targetId);
        return rows.length === 2 && ['succeeded', 'failed'].includes(rows[1].status) ? rows : null;
      },
      90_000,
      50
    );
    expect(first).toMatchObject({ status: 'failed', error: 'lease expired', attempt: 1 });
    expect(retry).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(survivors.map((instance) => instance.owner)).toContain(retry.lease_owner);
    // Retried per policy: not before retryBaseSeconds × 2^0 after the failure.
    expect(retry.not_before!.getTime() - first.finished_at!.getTime()).toBeGreaterThanOrEqual(
      RETRY_BASE_SECONDS * 1000 - 50
    );
    expect(retry.started_at!.getTime()).toBeGreaterThanOrEqual(retry.not_before!.getTime());
    const times = {
      leaseRecovered: first.finished_at!.getTime() - killedAt,
      retryStarted: retry.started_at!.getTime() - killedAt,
      completed: retry.finished_at!.getTime() - killedAt,
    };
    return { first, retry, times };
  };

  it('a refresh whose instance is killed mid-build is taken over by another instance and ends complete', async () => {
    const { model, token } = cluster.fixtures;
    const before = (await runsOf(model)).length;
    expect(before).toBe(0);
    const res = await cluster.http(0, token).post(`/api/api-tokens/semantic-models/${model}/refreshes`).send({});
    expect(res.status).toBe(202);

    // Mid-build: some pages copied, far from all.
    const running = await eventually(
      async () => {
        const [run] = await runsOf(model);
        return run?.status === 'running' && (run.rows ?? 0) >= 2000 ? run : null;
      },
      60_000,
      20
    );
    const { owner, killedAt } = await killOwner(running);
    const [atKill] = await runsOf(model);
    expect(atKill.status).toBe('running');
    expect(atKill.rows ?? 0).toBeLessThan(SALES);

    const survivors = cluster.instances.filter((instance) => instance !== owner);
    const { times } = await recovery(model, killedAt, survivors);
    report.push(
      `  refresh of ${SALES.toLocaleString('en')} rows, killed at ${atKill.rows} rows: lease recovered after ` +
        `${seconds(times.leaseRecovered)}, retry started after ${seconds(times.retryStarted)}, snapshot complete after ` +
        `${seconds(times.completed)} (lease ${LEASE_SECONDS} s, tick ${TICK_SECONDS} s, retry backoff ${RETRY_BASE_SECONDS} s)`
    );
    console.log(report[report.length - 1]);

    const [row] = await cluster.sql(
      `select status, row_count, snapshot_table from api_tokens_semantic_models where document_id = $1`,
      [model]
    );
    expect(row).toMatchObject({ status: 'ready', row_count: SALES });
    const [{ n }] = await cluster.sql(`select count(*)::int as n from "${row.snapshot_table}"`);
    const [{ source }] = await cluster.sql(`select count(*)::int as source from sales`);
    expect(n).toBe(source);
  });

  // Mails the report over the model the test above refreshed.
  it('a delivery to 20 recipients whose instance is killed mid-way is finished by another, one mail each', async () => {
    const { subscription, token } = cluster.fixtures;
    const survivors = cluster.instances.filter((instance) => !dead.has(instance));
    expect(survivors.length).toBeGreaterThanOrEqual(2);
    smtp.reset();
    smtp.delayMailFrom(400);
    const target = cluster.instances.indexOf(survivors[0]);
    const res = await cluster.http(target, token).post(`/api/api-tokens/subscriptions/${subscription}/runs`).send({});
    expect(res.status).toBe(202);

    // The sixth MAIL FROM is held by the server: five mails are delivered, the sixth is in flight.
    await eventually(async () => smtp.mailFromCount >= 6, 60_000, 5);
    const [running] = await runsOf(subscription);
    const { owner, killedAt } = await killOwner(running);
    const deliveredBeforeKill = smtp.messages.length;
    expect(deliveredBeforeKill).toBeGreaterThanOrEqual(5);
    expect(deliveredBeforeKill).toBeLessThan(RECIPIENTS);
    smtp.delayMailFrom(50);

    const { first, retry, times } = await recovery(
      subscription,
      killedAt,
      survivors.filter((instance) => instance !== owner)
    );
    report.push(
      `  delivery to ${RECIPIENTS} recipients, killed after ${deliveredBeforeKill} mails: lease recovered after ` +
        `${seconds(times.leaseRecovered)}, retry started after ${seconds(times.retryStarted)}, all delivered after ` +
        `${seconds(times.completed)}`
    );
    console.log(report[report.length - 1]);

    // The retry shares the occurrence's delivery key and mailed only who the dead runner had not reached.
    expect(retry.delivery_key).toBe(first.delivery_key ?? first.document_id);
    expect(retry.sent).toBe(RECIPIENTS);
    expect(smtp.messages).toHaveLength(RECIPIENTS);
    for (let i = 0; i < RECIPIENTS; i += 1) expect(smtp.messagesTo(`crash-${i}@example.com`)).toHaveLength(1);
    const sent = await cluster.sql(
      `select email, count(*)::int as n from api_tokens_deliveries where delivery_key = $1 and status = 'sent'
       group by email`,
      [retry.delivery_key]
    );
    expect(sent).toHaveLength(RECIPIENTS);
    for (const row of sent) expect(row.n).toBe(1);
  });
});
