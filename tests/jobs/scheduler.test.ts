import schedule from 'node-schedule';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createFakeKind, RUN_UID, runsService, schedulerService } from './fake-kind';

const MINUTE = 60_000;

describe('scheduler ticks across DST (SQLite)', () => {
  let app: TestApp;
  let runs: any;
  let scheduler: any;
  const fake = createFakeKind('fake-delivery');

  beforeAll(async () => {
    // The real tick stays on here: destroy() must leave no open handle behind (jest runs without --forceExit).
    app = await startStrapi({ database: 'sqlite', env: { API_TOKENS_SCHEDULER_ENABLED: undefined } });
    runs = runsService(app.strapi);
    scheduler = schedulerService(app.strapi);
    runs.registerKind(fake.jobKind);
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await app?.stop();
    expect(Object.keys(schedule.scheduledJobs)).toHaveLength(0);
  });

  it('runs the node-schedule tick on this instance', () => {
    expect(scheduler.isRunning()).toBe(true);
    expect(Object.keys(schedule.scheduledJobs)).toHaveLength(1);
  });

  /** Ticks from `from` to `to` every `stepMs` and returns the occurrences that got a run. */
  const simulate = async (target: { id: string }, from: string, to: string, stepMs: number) => {
    for (let at = Date.parse(from); at <= Date.parse(to); at += stepMs) {
      await scheduler.tick(new Date(at));
      await runs.drain();
    }
    const rows = await app.strapi.db
      .query(RUN_UID)
      .findMany({ where: { targetId: target.id }, orderBy: [{ scheduledFor: 'asc' }] });
    expect(rows.every((row: any) => row.status === 'succeeded')).toBe(true);
    return rows.map((row: any) => new Date(row.scheduledFor).toISOString());
  };

  const daily = (timezone: string, createdAt: string, time = '30 2', missedRunPolicy: 'skip' | 'once' = 'once') =>
    fake.addTarget({ schedule: { cron: `${time} * * *`, timezone }, createdAt, missedRunPolicy });

  it.each([
    // [zone, wall time, first tick, last tick, expected runs (UTC)]
    [
      'Europe/Berlin',
      '30 2',
      '2025-03-29T00:00:00Z',
      '2025-03-31T06:00:00Z',
      ['2025-03-29T01:30:00.000Z', '2025-03-30T01:30:00.000Z', '2025-03-31T00:30:00.000Z'],
    ],
    [
      'Europe/Berlin',
      '30 2',
      '2025-10-25T00:00:00Z',
      '2025-10-27T06:00:00Z',
      ['2025-10-25T00:30:00.000Z', '2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z'],
    ],
    [
      'America/New_York',
      '30 2',
      '2025-03-08T05:00:00Z',
      '2025-03-10T12:00:00Z',
      ['2025-03-08T07:30:00.000Z', '2025-03-09T07:30:00.000Z', '2025-03-10T06:30:00.000Z'],
    ],
    [
      'America/New_York',
      '30 2',
      '2025-11-01T05:00:00Z',
      '2025-11-03T12:00:00Z',
      ['2025-11-01T06:30:00.000Z', '2025-11-02T07:30:00.000Z', '2025-11-03T07:30:00.000Z'],
    ],
    [
      'America/New_York',
      '30 1',
      '2025-11-01T04:00:00Z',
      '2025-11-03T12:00:00Z',
      ['2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z'],
    ],
  ])('%s daily at %s runs exactly once per day from %s', async (zone, time, from, to, expected) => {
    const target = await daily(zone, from, time);
    expect(await simulate(target, from, to, 20 * MINUTE)).toEqual(expected);
  });

  it.each([
    [
      'Europe/Berlin spring forward',
      'Europe/Berlin',
      '2025-03-30T01:28:00Z',
      '2025-03-30T01:33:00Z',
      ['2025-03-30T01:30:00.000Z'],
    ],
    [
      'Europe/Berlin fall back, both passes',
      'Europe/Berlin',
      '2025-10-26T00:28:00Z',
      '2025-10-26T01:33:00Z',
      ['2025-10-26T00:30:00.000Z'],
    ],
    [
      'New York spring forward',
      'America/New_York',
      '2025-03-09T07:28:00Z',
      '2025-03-09T07:33:00Z',
      ['2025-03-09T07:30:00.000Z'],
    ],
  ])('skip policy with 15 s ticks: %s', async (_label, zone, from, to, expected) => {
    const target = await daily(zone, '2025-01-01T00:00:00Z', '30 2', 'skip');
    // Every 15 s through the interesting minutes only (the whole repeated hour on fall-back day would be 240 ticks).
    const windows =
      zone === 'Europe/Berlin' && from.startsWith('2025-10')
        ? [
            ['2025-10-26T00:28:00Z', '2025-10-26T00:33:00Z'],
            ['2025-10-26T01:28:00Z', '2025-10-26T01:33:00Z'],
          ]
        : [[from, to]];
    let seen: string[] = [];
    for (const [start, end] of windows) seen = await simulate(target, start, end, 15_000);
    expect(seen).toEqual(expected);
  });
});
