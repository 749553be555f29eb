import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { seedSales } from '../../src/demo/seed';
import { describeOnDatabase, startStrapi, type TestApp } from '../helpers/strapi';
import { RUN_UID, runsService, schedulerService } from './fake-kind';

const MODELS = 30;
const SALES = 40;

/** The second instance: a real Strapi in its own process, driven over IPC. */
const startSecondInstance = async () => {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'second-instance.ts')], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const owner = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`second instance exited (${code}):\n${output}`)));
    child.on('message', (message: any) => {
      if (message.type === 'ready') return resolve(message.owner);
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message);
    });
  });
  const request = (type: 'tick' | 'drain' | 'stop', at = new Date()) =>
    new Promise<any>((resolve, reject) => {
      const id = (nextId += 1);
      pending.set(id, { resolve, reject });
      child.send({ id, type, at: at.toISOString() });
    });
  return {
    owner,
    tick: async (at: Date): Promise<string[]> => (await request('tick', at)).queued,
    drain: (at: Date) => request('drain', at),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await request('stop').catch(() => child.kill('SIGKILL'));
      await exited;
    },
  };
};

describeOnDatabase('postgres')('two Strapi processes on one PostgreSQL database', () => {
  let app: TestApp;
  let second: Awaited<ReturnType<typeof startSecondInstance>> | undefined;

  beforeAll(async () => {
    app = await startStrapi({ database: 'postgres', env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
    await seedSales(app.strapi, SALES);
    // Booted after the first one, on the database and with the settings startStrapi put in the environment.
    second = await startSecondInstance();
  }, 120_000);

  afterAll(async () => {
    await second?.stop();
    await app?.stop();
  }, 60_000);

  it('claims every scheduled occurrence once and runs every run once when both instances tick', async () => {
    const modelIds: string[] = [];
    for (let i = 0; i < MODELS; i += 1) {
      const res = await app.admin
        .post('/api-tokens/semantic-models')
        .send({
          name: `Shared ${i}`,
          source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'amount'] },
          refresh: { mode: 'scheduled', cron: '*/5 * * * *', timezone: 'Europe/Berlin' },
        })
        .expect(201);
      modelIds.push(res.body.data.documentId);
    }
    const scheduler = schedulerService(app.strapi);
    const runs = runsService(app.strapi);
    const due = new Date(Math.ceil((Date.now() + 60_000) / 300_000) * 300_000 + 1000);
    const occurrence = new Date(due.getTime() - 1000).toISOString();

    // Both processes tick at the same instant, twice each, racing for the same 30 occurrences.
    const [a1, b1, a2, b2] = await Promise.all([
      scheduler.tick(due).then((result: any) => result.queued.map((run: any) => run.id)),
      second!.tick(due),
      scheduler.tick(due).then((result: any) => result.queued.map((run: any) => run.id)),
      second!.tick(due),
    ]);
    const claimed = [...a1, ...b1, ...a2, ...b2];
    expect(claimed).toHaveLength(MODELS);
    expect(new Set(claimed).size).toBe(MODELS);

    // Both run what was claimed, each run on exactly one of them.
    await Promise.all([runs.drain(due), second!.drain(due)]);
    const rows = await app.strapi.db
      .query(RUN_UID)
      .findMany({ where: { targetId: { $in: modelIds } }, orderBy: [{ id: 'asc' }] });
    expect(rows).toHaveLength(MODELS);
    expect(new Set(rows.map((row: any) => row.targetId)).size).toBe(MODELS);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'succeeded', trigger: 'schedule', attempt: 1 });
      expect(new Date(row.scheduledFor).toISOString()).toBe(occurrence);
      expect([runs.owner, second!.owner]).toContain(row.leaseOwner);
    }
    const models = await app.strapi.db
      .query('plugin::api-tokens.semantic-model')
      .findMany({ where: { documentId: { $in: modelIds } } });
    expect(models.map((model: any) => [model.status, Number(model.rowCount)])).toEqual(
      modelIds.map(() => ['ready', SALES])
    );

    // The schedule rows moved on: later ticks in the same window claim nothing on either instance.
    const later = new Date(due.getTime() + 15_000);
    const [a3, b3] = await Promise.all([scheduler.tick(later), second!.tick(later)]);
    expect([...a3.queued, ...b3]).toHaveLength(0);
  });
});
