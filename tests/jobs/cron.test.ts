import {
  latestOccurrence,
  nextOccurrence,
  nextOccurrences,
  scanNextOccurrence,
  validateSchedule,
} from '../../src/plugins/api-tokens/server/src/jobs/cron';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('validateSchedule', () => {
  it('accepts a valid cron in an IANA zone', () => {
    expect(validateSchedule({ cron: '0 8 * * 1', timezone: 'Europe/Berlin' })).toBeNull();
    expect(validateSchedule({ cron: '*/5 * * * *', timezone: 'UTC' }, 300)).toBeNull();
  });

  it.each([
    [{ cron: 'not a cron', timezone: 'UTC' }, /^cron /],
    [{ cron: '61 * * * *', timezone: 'UTC' }, /^cron /],
    [{ cron: '0 8 * *', timezone: 'UTC' }, /^cron must have 5 fields/],
    [{ cron: '', timezone: 'UTC' }, /^cron /],
    [{ cron: '0 8 * * *', timezone: 'Mars/Olympus' }, /^timezone /],
    [{ cron: '0 8 * * *', timezone: '' }, /^timezone /],
    [{ cron: '0 * * * * *', timezone: 'UTC' }, /^cron must have 5 fields .*got 6: a seconds field is not supported/],
    [{ cron: '@daily', timezone: 'UTC' }, /^cron must have 5 fields .*got 1/],
    [{ cron: '* * * * *', timezone: 'UTC' }, /^cron fires more often than the minimum interval of 120 seconds/],
    [{ cron: '0,1 8 * * *', timezone: 'UTC' }, /^cron fires more often/],
  ])('rejects %j', (schedule, message) => {
    expect(validateSchedule(schedule as any, 120)).toMatch(message);
  });

  it('applies the minimum interval it is given', () => {
    expect(validateSchedule({ cron: '*/5 * * * *', timezone: 'UTC' }, 600)).toMatch(/minimum interval of 600/);
  });
});

describe('occurrences across DST', () => {
  const daily = (timezone: string, time = '30 2') => ({ cron: `${time} * * *`, timezone });

  it('runs a nonexistent 02:30 once, at 03:30 local, on spring-forward day', () => {
    expect(iso(nextOccurrences(daily('Europe/Berlin'), 3, new Date('2025-03-29T00:00:00Z')))).toEqual([
      '2025-03-29T01:30:00.000Z',
      '2025-03-30T01:30:00.000Z', // 03:30 CEST
      '2025-03-31T00:30:00.000Z',
    ]);
    expect(iso(nextOccurrences(daily('America/New_York'), 3, new Date('2025-03-08T00:00:00Z')))).toEqual([
      '2025-03-08T07:30:00.000Z',
      '2025-03-09T07:30:00.000Z', // 03:30 EDT
      '2025-03-10T06:30:00.000Z',
    ]);
  });

  it('runs a doubled wall time once, at its first pass, on fall-back day', () => {
    expect(iso(nextOccurrences(daily('Europe/Berlin'), 3, new Date('2025-10-25T00:00:00Z')))).toEqual([
      '2025-10-25T00:30:00.000Z',
      '2025-10-26T00:30:00.000Z', // 02:30 CEST, not again at 02:30 CET
      '2025-10-27T01:30:00.000Z',
    ]);
    expect(iso(nextOccurrences(daily('America/New_York', '30 1'), 3, new Date('2025-11-01T00:00:00Z')))).toEqual([
      '2025-11-01T05:30:00.000Z',
      '2025-11-02T05:30:00.000Z', // 01:30 EDT, not again at 01:30 EST
      '2025-11-03T06:30:00.000Z',
    ]);
  });

  it('gives the same latest occurrence wherever the search starts (inside the doubled hour too)', () => {
    const schedule = daily('Europe/Berlin');
    const now = new Date('2025-10-26T01:45:00Z');
    const latest = (after: string) => latestOccurrence(schedule, new Date(after), now)?.toISOString() ?? null;
    expect(latest('2025-10-25T12:00:00Z')).toBe('2025-10-26T00:30:00.000Z');
    // Starting inside the doubled hour, cron-parser would offer 02:30 CET (01:30Z): it is not an occurrence.
    expect(latest('2025-10-26T00:45:00Z')).toBeNull();
    expect(latest('2025-10-26T01:10:00Z')).toBeNull();
    expect(latestOccurrence(schedule, new Date('2025-10-26T00:30:00Z'), new Date('2025-10-26T12:00:00Z'))).toBeNull();
  });

  it.each([
    ['Europe/Berlin', '2025-03-30', '30 2 * * *', ['2025-03-29T01:30:00.000Z', '2025-03-30T01:30:00.000Z']],
    ['Europe/Berlin', '2025-10-26', '30 2 * * *', ['2025-10-25T00:30:00.000Z', '2025-10-26T00:30:00.000Z']],
    ['America/New_York', '2025-03-09', '30 2 * * *', ['2025-03-08T07:30:00.000Z', '2025-03-09T07:30:00.000Z']],
    ['America/New_York', '2025-11-02', '30 1 * * *', ['2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z']],
  ])('%s %s: every search window agrees on the occurrences', (timezone, day, cron, expected) => {
    const start = Date.parse(`${day}T00:00:00Z`) - 6 * 3_600_000;
    const seen = new Set<string>();
    for (let now = start; now < start + 24 * 3_600_000; now += 5 * 60_000) {
      for (const back of [30_000, 3_600_000, 2 * 3_600_000 + 17_000, 86_400_000]) {
        const found = latestOccurrence({ cron, timezone }, new Date(now - back), new Date(now));
        if (found) seen.add(found.toISOString());
      }
    }
    expect([...seen].sort()).toEqual(expected);
  });

  it('keeps both real hours for an hourly cron on fall-back day', () => {
    const hours = iso(
      nextOccurrences({ cron: '30 * * * *', timezone: 'Europe/Berlin' }, 3, new Date('2025-10-25T23:45:00Z'))
    );
    expect(hours).toEqual(['2025-10-26T00:30:00.000Z', '2025-10-26T01:30:00.000Z', '2025-10-26T02:30:00.000Z']);
  });

  it('finds the latest occurrence of a yearly cron after long downtime quickly', () => {
    const found = latestOccurrence(
      { cron: '0 0 1 1 *', timezone: 'UTC' },
      new Date('2020-06-01T00:00:00Z'),
      new Date('2024-06-01T00:00:00Z')
    );
    expect(found?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
});

describe('nextOccurrence', () => {
  const CRONS = [
    '0 * * * *',
    '30 * * * *',
    '*/5 * * * *',
    '*/15 * * * *',
    '17 */6 * * *',
    '30 2 * * *',
    '0 3 * * *',
    '45 1 * * *',
    '0 8 * * 1-5',
    '0 8 * * 0',
    '0 8 1,15 * 5',
    '0 8 15 * *',
    '0 0 1 * *',
    '0 12 * 1,7 *',
    '15 10 * * * *',
    '0 9 L * *',
    '0 9 * * 1#2',
  ];
  const ZONES = [
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'Africa/Casablanca',
    'America/Santiago',
  ];
  // Each zone's offset changes in 2025 and 2026 sit inside these ranges; the rest of the year is sampled too.
  const STARTS = [
    ...Array.from({ length: 16 }, (_, i) => Date.UTC(2025, i % 12, 1 + ((i * 7) % 27), (i * 5) % 24, (i * 13) % 60)),
    ...[
      Date.UTC(2025, 2, 8),
      Date.UTC(2025, 2, 29),
      Date.UTC(2025, 3, 5),
      Date.UTC(2025, 8, 6),
      Date.UTC(2025, 9, 4),
      Date.UTC(2025, 9, 25),
      Date.UTC(2025, 10, 1),
      Date.UTC(2026, 1, 14),
      Date.UTC(2026, 2, 28),
    ].flatMap((day) => Array.from({ length: 13 }, (_, i) => day + i * 121 * 60_000 + 29_000)),
  ];

  it('agrees with the DST-aware scan for every cron, zone and start instant (fast path included)', () => {
    const mismatches: string[] = [];
    for (const timezone of ZONES) {
      for (const cron of CRONS) {
        for (const start of STARTS) {
          const after = new Date(start);
          const fast = nextOccurrence({ cron, timezone }, after)?.toISOString();
          const scanned = scanNextOccurrence({ cron, timezone }, after)?.toISOString();
          if (fast !== scanned)
            mismatches.push(`${cron} ${timezone} after ${after.toISOString()}: ${fast} ≠ ${scanned}`);
        }
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('chains into the same sequence as one scan, across both DST edges', () => {
    const schedule = { cron: '30 2 * * *', timezone: 'Europe/Berlin' };
    expect(iso(nextOccurrences(schedule, 3, new Date('2025-03-29T00:00:00Z')))).toEqual([
      '2025-03-29T01:30:00.000Z',
      '2025-03-30T01:30:00.000Z',
      '2025-03-31T00:30:00.000Z',
    ]);
    expect(iso(nextOccurrences(schedule, 3, new Date('2025-10-25T00:00:00Z')))).toEqual([
      '2025-10-25T00:30:00.000Z',
      '2025-10-26T00:30:00.000Z',
      '2025-10-27T01:30:00.000Z',
    ]);
  });
});
