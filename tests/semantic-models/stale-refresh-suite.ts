import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';

const MODEL_UID = 'plugin::api-tokens.semantic-model';
const RUN_UID = 'plugin::api-tokens.job-run';
const MINUTE = 60_000;

/** A runner that stalls (a long GC pause, a stalled disk) after its last page, before its swap. */
let stall: { reached: () => void; resume: Promise<void> } | null = null;

const gatedSource = {
  type: 'gated-feed',
  displayName: 'Gated feed',
  validate: (definition: any) =>
    typeof definition.label === 'string' ? null : { path: 'source.label', message: 'source.label must be a string' },
  columns: () => [
    { name: 'n', type: 'integer' as const },
    { name: 'label', type: 'string' as const },
  ],
  async *read(definition: any) {
    for (let page = 0; page < definition.pages; page += 1) {
      yield Array.from({ length: 10 }, (_, i) => ({ n: page * 10 + i, label: definition.label }));
    }
    const stalled = stall;
    stall = null;
    if (stalled) {
      stalled.reached();
      await stalled.resume;
    }
  },
};

/** A refresh whose runner lost its lease mid-build: its swap is refused, the retry's snapshot wins, no table is lost. */
export const staleRefreshSuite = (database: Database) =>
  describeOnDatabase(database)(`a stale refresh runner on ${database}`, () => {
    let app: TestApp;
    const runs = () => app.strapi.plugin('api-tokens').service('runs');
    const model = (documentId: string) => app.strapi.db.query(MODEL_UID).findOne({ where: { documentId } });
    const tablesOf = async (modelRowId: number) =>
      (await app.strapi.db.dialect.schemaInspector.getTables())
        .filter((table: string) => table.startsWith(`api_tokens_snapshot_${modelRowId}_`))
        .sort();
    const labels = async (table: string) =>
      (await app.strapi.db.connection(table).select('label')).map((row: { label: string }) => row.label);
    const setSource = (documentId: string, source: object) =>
      app.strapi.db.query(MODEL_UID).update({ where: { documentId }, data: { source } });

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      app.strapi.plugin('api-tokens').service('sources').register(gatedSource);
    });
    afterAll(async () => {
      await app?.stop();
    });

    it("refuses the stale runner's swap and keeps the retry's snapshot and every table in use", async () => {
      const created = await app.admin
        .post('/api-tokens/semantic-models')
        .send({ name: 'Fenced', source: { type: 'gated-feed', pages: 2, label: 'first' }, refresh: { mode: 'manual' } })
        .expect(201);
      const modelId: string = created.body.data.documentId;
      const first = await runs().trigger({ kind: 'refresh', targetId: modelId, trigger: 'admin' });
      expect((await runs().waitFor(first.id)).status).toBe('succeeded');
      const { id: rowId, snapshotTable: firstTable } = await model(modelId);

      // Attempt 1 builds its snapshot, then stalls before the swap.
      await setSource(modelId, { type: 'gated-feed', pages: 2, label: 'stale' });
      let reached!: () => void;
      const stalled = new Promise<void>((resolve) => {
        reached = resolve;
      });
      let resume!: () => void;
      stall = { reached, resume: new Promise<void>((resolve) => (resume = resolve)) };
      const stale = await runs().trigger({ kind: 'refresh', targetId: modelId, trigger: 'api' });
      await stalled;

      // Its lease runs out; the recovery fails it and queues attempt 2, which runs to the end.
      await app.strapi.db
        .query(RUN_UID)
        .update({ where: { documentId: stale.id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
      expect(await runs().recoverExpiredLeases()).toBe(1);
      await setSource(modelId, { type: 'gated-feed', pages: 3, label: 'retry' });
      const [retry] = (await runs().list({ kind: 'refresh', targetId: modelId, status: 'queued' })).results;
      expect(retry).toMatchObject({ attempt: 2 });
      await runs().dispatch(new Date(Date.now() + 10 * MINUTE));
      expect(await runs().waitFor(retry.id)).toMatchObject({ status: 'succeeded', stats: { rows: 30 } });
      const afterRetry = await model(modelId);
      const retryTable = afterRetry.snapshotTable;
      expect(afterRetry).toMatchObject({ previousSnapshotTable: firstTable, rowCount: 30 });
      // The retry's clean-up left the table attempt 1 is still writing.
      const staleTable = (await tablesOf(rowId)).find((table: string) => table.endsWith(`_${stale.id.slice(-8)}`));
      expect(staleTable).toBeDefined();
      expect((await labels(staleTable!)).every((label: string) => label === 'stale')).toBe(true);

      // Attempt 1 wakes up and tries to swap in its snapshot: refused, and its table dropped.
      resume();
      await runs().waitFor(stale.id);
      const served = await model(modelId);
      expect(served).toMatchObject({
        snapshotTable: retryTable,
        previousSnapshotTable: firstTable,
        rowCount: 30,
        status: 'ready',
        lastError: null,
      });
      const rows = await labels(retryTable);
      expect(rows).toHaveLength(30);
      expect(new Set(rows)).toEqual(new Set(['retry']));
      // No table lost: the live one and the previous one (readers may be on it) remain; only the stale one went.
      expect(await tablesOf(rowId)).toEqual([firstTable, retryTable].sort());
      expect(await runs().get(stale.id)).toMatchObject({ status: 'failed', error: 'lease expired' });

      // The model still refreshes; the next clean-up drops the snapshot before the previous one.
      const next = await runs().trigger({ kind: 'refresh', targetId: modelId, trigger: 'admin' });
      expect((await runs().waitFor(next.id)).status).toBe('succeeded');
      const latest = await model(modelId);
      expect(await tablesOf(rowId)).toEqual([retryTable, latest.snapshotTable].sort());
    });
  });
