/**
 * Bench case `tokens` (`npm run bench`, BENCH_CASES=tokens): how much the api-tokens plugin's auth costs per request.
 *
 * Boots the app once (bench/app.ts: a fresh SQLite file under .tmp/; demo sales seeded here), adds three
 * comparison routes from here (not from app code), and load-tests four routes of the same response shape,
 * interleaved round by round with autocannon running in a child process (bench/load.ts):
 *
 *   ours     GET /api/api-tokens/self      the plugin's has-scope policy, plugin token
 *   no-auth  GET /api/bench/no-auth        auth:false, no policy
 *   noop     GET /api/bench/noop-policy    auth:false, a policy that returns true (Strapi's policy machinery alone)
 *   built-in GET /api/bench/builtin        Strapi's default content-API auth, Strapi API token
 *
 * Prints requests/s and p99 per route and the ratios against the targets; with BENCH_PROFILE=tokens, one more round
 * per route under the CPU profiler and where each route's CPU per request goes. Not a test: exits 0 whatever the ratios,
 * non-zero only when something broke (set-up failed, or a non-2xx / error during the measurement).
 * Knobs (environment): see bench/README.md.
 */
import type { AddressInfo } from 'node:net';
import type { Core } from '@strapi/strapi';
import { runDemo } from '../src/demo/seed';
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { APP_DIR, boot, DB_FILE, fmt, intEnv, makeLog, median, pad, percentile, runCase, teardown } from './app';
import type { RoundResult } from './load';
import { startLoadGenerator, type LoadGenerator } from './load-client';
import { selfTime, startProfile } from './profile';

const SECONDS = intEnv('BENCH_SECONDS', 4);
const ROUNDS = intEnv('BENCH_ROUNDS', 5);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 10);
const WARMUP_SECONDS = intEnv('BENCH_WARMUP_SECONDS', 2, 0);
const BUILTIN_TYPE = process.env.BENCH_BUILTIN_TYPE || 'full-access';
if (!['full-access', 'custom'].includes(BUILTIN_TYPE)) {
  throw new Error(`BENCH_BUILTIN_TYPE must be "full-access" or "custom", got "${BUILTIN_TYPE}"`);
}
/**
 * The plugin's per-token rate limit (config/plugins.ts, 600/min by default) would answer 429 within a second of load.
 * By default it stays on but too high to trip, so its cost is measured; 0 turns it off.
 */
const RATE_LIMIT = String(intEnv('BENCH_RATE_LIMIT_PER_MINUTE', 1_000_000_000, 0));
/** The content-API action a custom built-in token holds and the built-in route requires. */
const CUSTOM_SCOPE = 'api::sale.sale.find';

const TARGETS = { noAuth: 0.95, builtin: 1.0, authCpuMicros: 25 };
const SEQUENTIAL_BLOCKS = intEnv('BENCH_SEQUENTIAL_BLOCKS', 10, 0);
const SEQUENTIAL_BLOCK = 200;
const PROFILE = (process.env.BENCH_PROFILE ?? '').split(',').some((c) => ['1', 'all', 'tokens'].includes(c.trim()));

type TargetName = 'ours' | 'no-auth' | 'noop' | 'built-in';
interface Target {
  name: TargetName;
  path: string;
  headers: Record<string, string>;
}

/** The rounds of one target added up. */
interface Totals extends Omit<RoundResult, 'id' | 'error'> {
  roundRps: number[];
  /** CPU time of this process (the server) during the rounds, microseconds. */
  cpuMicros: number;
}

const log = makeLog('tokens');

/** Registers the three comparison routes and the no-op policy. Must run before the server is mounted. */
const addComparisonRoutes = (strapi: Core.Strapi) => {
  // Same shape as the plugin's token.self, from values fixed up front so the handler costs what token.self costs.
  const fixed = {
    name: 'bench',
    scopes: ['sales:read'],
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
  const noAuth = (ctx: any) => {
    const { name, scopes, expiresAt } = fixed;
    ctx.body = { data: { name, scopes, expiresAt } };
  };
  strapi.get('policies').set('global::bench-noop', () => true);
  strapi.server.routes({
    type: 'content-api',
    prefix: '/bench',
    routes: [
      { method: 'GET', path: '/no-auth', handler: noAuth, config: { auth: false } },
      // The same handler behind one policy that does nothing: the cost of Strapi's policy machinery itself.
      {
        method: 'GET',
        path: '/noop-policy',
        handler: noAuth,
        config: { auth: false, policies: ['global::bench-noop'] },
      },
      {
        method: 'GET',
        path: '/builtin',
        handler: (ctx: any) => {
          const token = ctx.state.auth.credentials;
          ctx.body = {
            data: {
              name: token.name,
              scopes: token.type === 'custom' ? token.permissions : [token.type],
              expiresAt: token.expiresAt ? new Date(token.expiresAt).toISOString() : null,
            },
          };
        },
        // Default content-API auth (Strapi API tokens, users-permissions). A custom token needs a scope to check.
        config: BUILTIN_TYPE === 'custom' ? { auth: { scope: [CUSTOM_SCOPE] } } : {},
      },
    ],
  } as any);
};

const check = async (
  base: string,
  label: string,
  pathName: string,
  token: string | null,
  expected: number | number[]
) => {
  const res = await fetch(`${base}${pathName}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  if (![expected].flat().includes(res.status)) {
    throw new Error(
      `check "${label}": GET ${pathName} answered ${res.status}, expected ${expected}: ${text.slice(0, 300)}`
    );
  }
  if (res.status === 200) {
    const data = JSON.parse(text)?.data;
    const keys = data && typeof data === 'object' ? Object.keys(data).sort().join(',') : '';
    if (keys !== 'expiresAt,name,scopes') throw new Error(`check "${label}": unexpected body ${text.slice(0, 300)}`);
  }
  log(`check ok: ${label} → ${res.status}`);
};

/**
 * A second, quieter measure of the same routes: one keep-alive connection from this process, one request at a time,
 * in interleaved blocks of SEQUENTIAL_BLOCK requests per route. CPU per request is client + server (the client's
 * share is the same for every route), with no queueing and no load generator competing for the cores.
 */
const measureSequential = async (base: string, targets: Target[]): Promise<string[]> => {
  const { hostname, port } = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (target: Target) =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ hostname, port, path: target.path, headers: target.headers, agent }, (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`${target.path}: ${res.statusCode}`))
          );
        })
        .on('error', reject);
    });
  const cpu = new Map<TargetName, number[]>(targets.map((t) => [t.name, []]));
  for (const target of targets) for (let i = 0; i < SEQUENTIAL_BLOCK; i += 1) await get(target); // warm-up
  for (let block = 0; block < SEQUENTIAL_BLOCKS; block += 1) {
    for (let k = 0; k < targets.length; k += 1) {
      const target = targets[(k + block) % targets.length];
      const before = process.cpuUsage();
      for (let i = 0; i < SEQUENTIAL_BLOCK; i += 1) await get(target);
      const used = process.cpuUsage(before);
      cpu.get(target.name)!.push((used.user + used.system) / SEQUENTIAL_BLOCK);
    }
  }
  agent.destroy();
  const mean = (name: TargetName) => cpu.get(name)!.reduce((a, b) => a + b, 0) / SEQUENTIAL_BLOCKS;
  const lines = [
    `Sequential: ${SEQUENTIAL_BLOCKS} interleaved blocks × ${SEQUENTIAL_BLOCK} requests per route, one connection; ` +
      'CPU per request (client + server):',
  ];
  for (const t of targets) {
    const delta = mean(t.name) - mean('no-auth');
    lines.push(
      `  ${t.name.padEnd(10)}${pad(fmt(mean(t.name), 0), 7)} µs  (${delta >= 0 ? '+' : ''}${fmt(delta, 0)} µs over no-auth; ` +
        `median block ${fmt(median(cpu.get(t.name)!), 0)} µs)`
    );
  }
  return lines;
};

/**
 * The plugin's own work without HTTP: the has-scope policy handler called in a loop (cached lookup, IP budget, scope
 * check, per-token limit, markUsed) inside an AsyncLocalStorage context, as Strapi runs every request.
 */
const measureHandler = async (strapi: Core.Strapi, key: string, calls = 50_000): Promise<string> => {
  const { handler } = strapi.get('policies').get('plugin::api-tokens.has-scope') as any;
  const request = { header: { authorization: `Bearer ${key}` }, ip: '127.0.0.1', method: 'GET', path: '/bench' };
  const response = { set: () => {} };
  const loop = async () => {
    for (let i = 0; i < calls; i += 1) {
      await handler({ request, response, state: {}, params: {} }, { scopes: [] }, { strapi });
    }
  };
  const context = new AsyncLocalStorage();
  await context.run({}, loop); // warm-up
  const cpuBefore = process.cpuUsage();
  await context.run({}, loop);
  const cpu = process.cpuUsage(cpuBefore);
  return `plugin's own work (the has-scope handler in-process, ${calls} calls): ${fmt((cpu.user + cpu.system) / calls, 1)} µs CPU per call`;
};

/**
 * One more round per route under the CPU profiler (the in-process form of `node --cpu-prof`; each profile is also
 * written to .tmp/bench-tokens-<route>.cpuprofile for Chrome DevTools): server CPU per response by area, and the
 * functions where ours spends more than no-auth.
 */
const profileRoutes = async (
  targets: Target[],
  round: (target: Target, seconds: number) => Promise<RoundResult>
): Promise<string[]> => {
  const perResponse = new Map<TargetName, ReturnType<typeof selfTime> & { responses: number }>();
  for (const target of targets) {
    const profiler = await startProfile(100);
    const result = await round(target, SECONDS);
    const profile = await profiler.stop();
    writeFileSync(path.join(APP_DIR, `.tmp/bench-tokens-${target.name}.cpuprofile`), JSON.stringify(profile));
    perResponse.set(target.name, { ...selfTime(profile), responses: result.responses });
  }
  const names = targets.map((t) => t.name);
  const cost = (name: TargetName, map: 'areas' | 'functions', key: string) => {
    const p = perResponse.get(name)!;
    return (p[map].get(key) ?? 0) / p.responses;
  };
  const lines = [
    `CPU profile, one round of ${SECONDS} s per route (sampled every 100 µs; .tmp/bench-tokens-<route>.cpuprofile):`,
    `self time per response by area, µs${names.map((n) => pad(n, 10)).join('')}`,
  ];
  const areas = new Set(names.flatMap((n) => [...perResponse.get(n)!.areas.keys()]));
  areas.delete('(idle)');
  const busy = (name: TargetName) =>
    [...perResponse.get(name)!.areas].reduce((sum, [area, micros]) => (area === '(idle)' ? sum : sum + micros), 0) /
    perResponse.get(name)!.responses;
  const rows = [...areas].sort((a, b) => cost('ours', 'areas', b) - cost('ours', 'areas', a));
  for (const area of rows.slice(0, 14)) {
    lines.push(`  ${area.padEnd(34)}${names.map((n) => pad(fmt(cost(n, 'areas', area), 1), 10)).join('')}`);
  }
  lines.push(`  ${'all but (idle)'.padEnd(34)}${names.map((n) => pad(fmt(busy(n), 1), 10)).join('')}`);
  const functions = new Set([...perResponse.get('ours')!.functions.keys()]);
  const delta = (key: string) => cost('ours', 'functions', key) - cost('no-auth', 'functions', key);
  lines.push('functions where ours spends the most over no-auth, µs per response (ours − no-auth):');
  for (const key of [...functions].sort((a, b) => delta(b) - delta(a)).slice(0, 20)) {
    lines.push(`  ${pad(fmt(delta(key), 2), 7)}  ${key}`);
  }
  return lines;
};

const main = async (): Promise<number> => {
  log(
    `rounds=${ROUNDS} seconds=${SECONDS} connections=${CONNECTIONS} warmup=${WARMUP_SECONDS}s ` +
      `builtin-token=${BUILTIN_TYPE} rate-limit=${RATE_LIMIT === '0' ? 'off' : `${RATE_LIMIT}/min`} node=${process.version}`
  );

  let strapi: Core.Strapi | undefined;
  let loader: LoadGenerator | undefined;
  try {
    // The forked load generator gets the terminal's SIGINT too, or exits with its IPC channel (bench/load.ts).
    ({ strapi } = await boot({ log, env: { API_TOKENS_RATE_LIMIT_PER_MINUTE: RATE_LIMIT } }));

    await runDemo(strapi);
    const sales = await strapi.db.query('api::sale.sale').count();
    const admin = await strapi.db.query('admin::user').findOne({ select: ['id'] });
    if (!sales || !admin) throw new Error(`demo data missing: ${sales} sales, admin ${admin ? 'present' : 'missing'}`);
    log(`demo data: ${sales} sales, admin user ${admin.id}`);

    const ours = await strapi
      .plugin('api-tokens')
      .service('tokens')
      .create({ name: 'bench', scopes: ['sales:read'], expiresInDays: 30 }, { type: 'admin', id: admin.id });
    const builtin = await strapi.service('admin::api-token').create({
      name: 'bench',
      description: 'npm run bench',
      type: BUILTIN_TYPE,
      lifespan: null,
      ...(BUILTIN_TYPE === 'custom' ? { permissions: [CUSTOM_SCOPE] } : {}),
    });
    const oursKey: string = ours.accessKey;
    const builtinKey: string = builtin.accessKey;

    addComparisonRoutes(strapi);
    strapi.server.mount();
    const httpServer = strapi.server.httpServer;
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(0, '127.0.0.1', () => resolve());
    });
    const base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    log(`listening on ${base}`);

    const targets: Target[] = [
      { name: 'ours', path: '/api/api-tokens/self', headers: { authorization: `Bearer ${oursKey}` } },
      { name: 'no-auth', path: '/api/bench/no-auth', headers: {} },
      { name: 'noop', path: '/api/bench/noop-policy', headers: {} },
      { name: 'built-in', path: '/api/bench/builtin', headers: { authorization: `Bearer ${builtinKey}` } },
    ];

    await check(base, 'ours without a token', targets[0].path, null, 401);
    await check(base, 'ours with a Strapi API token', targets[0].path, builtinKey, 401);
    await check(base, 'ours with its token', targets[0].path, oursKey, 200);
    await check(base, 'no-auth', targets[1].path, null, 200);
    await check(base, 'noop policy', targets[2].path, null, 200);
    // A scoped (custom) route goes to users-permissions' public role without a token: 403 rather than 401.
    const denied = BUILTIN_TYPE === 'custom' ? [401, 403] : 401;
    await check(base, 'built-in without a token', targets[3].path, null, denied);
    await check(base, 'built-in with a plugin token', targets[3].path, oursKey, denied);
    await check(base, 'built-in with its token', targets[3].path, builtinKey, 200);
    // Let the plugin's first lastUsedAt write (off the request path) land before measuring.
    await strapi.plugin('api-tokens').service('tokens').flush?.();

    loader = await startLoadGenerator();
    const round = (target: Target, seconds: number) =>
      loader!.run({ url: `${base}${target.path}`, headers: target.headers, connections: CONNECTIONS, seconds });

    if (WARMUP_SECONDS > 0) {
      for (const target of targets) {
        const result = await round(target, WARMUP_SECONDS);
        if (result.error) throw new Error(`warm-up of ${target.name} failed: ${result.error}`);
      }
      log(`warmed up (${WARMUP_SECONDS} s per route, not counted)`);
    }

    const totals = new Map<TargetName, Totals>(
      targets.map((t) => [
        t.name,
        {
          duration: 0,
          responses: 0,
          ok: 0,
          non2xx: 0,
          statuses: {},
          errors: 0,
          timeouts: 0,
          latencies: [],
          roundRps: [],
          cpuMicros: 0,
        },
      ])
    );
    for (let r = 0; r < ROUNDS; r += 1) {
      // Interleaved, and the starting route rotates so none always runs first (or right after a GC-heavy one).
      const order = targets.map((_, i) => targets[(i + r) % targets.length]);
      const line: string[] = [];
      for (const target of order) {
        const cpuBefore = process.cpuUsage();
        const result = await round(target, SECONDS);
        const cpu = process.cpuUsage(cpuBefore);
        if (result.error) throw new Error(`round ${r + 1} of ${target.name} failed: ${result.error}`);
        const total = totals.get(target.name)!;
        total.cpuMicros += cpu.user + cpu.system;
        total.duration += result.duration;
        total.responses += result.responses;
        total.ok += result.ok;
        total.non2xx += result.non2xx;
        total.errors += result.errors;
        total.timeouts += result.timeouts;
        for (const [status, count] of Object.entries(result.statuses)) {
          total.statuses[status] = (total.statuses[status] ?? 0) + count;
        }
        for (const latency of result.latencies) total.latencies.push(latency);
        const rps = result.ok / result.duration;
        total.roundRps.push(rps);
        const failures = result.non2xx + result.errors;
        line.push(
          `${target.name} ${fmt(rps, 0)}/s` +
            (failures ? ` (${result.non2xx} non-2xx ${JSON.stringify(result.statuses)}, ${result.errors} errors)` : '')
        );
      }
      log(`round ${r + 1}/${ROUNDS}: ${line.join(', ')}`);
    }

    // Report.
    const stats = new Map(
      targets.map((t) => {
        const total = totals.get(t.name)!;
        const sorted = total.latencies.sort((a, b) => a - b);
        return [
          t.name,
          {
            rps: total.ok / total.duration,
            medianRoundRps: median(total.roundRps),
            p50: percentile(sorted, 50),
            p99: percentile(sorted, 99),
            cpuPerRequest: total.cpuMicros / total.responses,
            total,
          },
        ] as const;
      })
    );
    const out: string[] = [''];
    out.push(
      `Results: ${ROUNDS} interleaved rounds × ${SECONDS} s per route, ${CONNECTIONS} connections, ` +
        `built-in token ${BUILTIN_TYPE}`
    );
    out.push(
      `${'route'.padEnd(10)}${pad('req/s', 9)}${pad('(median round)', 16)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}` +
        `${pad('CPU µs/req', 12)}${pad('2xx', 9)}${pad('non-2xx', 9)}${pad('errors', 8)}  path`
    );
    for (const t of targets) {
      const s = stats.get(t.name)!;
      out.push(
        `${t.name.padEnd(10)}${pad(fmt(s.rps, 0), 9)}${pad(fmt(s.medianRoundRps, 0), 16)}${pad(fmt(s.p50, 2), 9)}` +
          `${pad(fmt(s.p99, 2), 9)}${pad(fmt(s.cpuPerRequest, 0), 12)}${pad(String(s.total.ok), 9)}${pad(String(s.total.non2xx), 9)}` +
          `${pad(String(s.total.errors), 8)}  ${t.path}`
      );
    }
    const ratios: { of: TargetName; other: TargetName; target: number | null }[] = [
      { of: 'ours', other: 'no-auth', target: TARGETS.noAuth },
      { of: 'ours', other: 'built-in', target: TARGETS.builtin },
      { of: 'noop', other: 'no-auth', target: null },
    ];
    out.push('');
    for (const { of, other, target } of ratios) {
      const ratio = stats.get(of)!.rps / stats.get(other)!.rps;
      const perRound = totals.get(of)!.roundRps.map((rps, i) => rps / totals.get(other)!.roundRps[i]);
      const verdict = target === null ? '' : `target ≥ ${target.toFixed(2)}×: ${ratio >= target ? 'MET' : 'NOT MET'}; `;
      out.push(
        `${`${of} / ${other}`.padEnd(16)}: ${ratio.toFixed(3)}×  (${verdict}` +
          `per round ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)})`
      );
    }
    // Server CPU per request is less sensitive to other load on the machine than req/s: the cost of the auth itself.
    const baseCpu = stats.get('no-auth')!.cpuPerRequest;
    const extra = (name: TargetName) => stats.get(name)!.cpuPerRequest - baseCpu;
    const signed = (micros: number) => `${micros >= 0 ? '+' : ''}${fmt(micros, 0)} µs`;
    const oursCpu = extra('ours');
    out.push(
      `auth cost (server CPU per request over no-auth): ours ${signed(oursCpu)} (target ≤ ${TARGETS.authCpuMicros} µs: ` +
        `${oursCpu <= TARGETS.authCpuMicros ? 'MET' : 'NOT MET'}), noop policy ${signed(extra('noop'))}, ` +
        `built-in ${signed(extra('built-in'))}`
    );
    out.push(await measureHandler(strapi, oursKey));
    if (SEQUENTIAL_BLOCKS > 0) out.push('', ...(await measureSequential(base, targets)));
    if (PROFILE) out.push('', ...(await profileRoutes(targets, round)));
    process.stdout.write(`${out.join('\n')}\n\n`);

    const broken = targets.filter((t) => {
      const total = totals.get(t.name)!;
      return total.non2xx > 0 || total.errors > 0 || total.ok === 0;
    });
    for (const t of broken) {
      const total = totals.get(t.name)!;
      process.stderr.write(
        `[tokens] ${t.name}: ${total.non2xx} non-2xx (${JSON.stringify(total.statuses)}), ${total.errors} errors ` +
          `(${total.timeouts} timeouts) during the measurement\n`
      );
    }
    return broken.length > 0 ? 1 : 0;
  } finally {
    await loader?.stop().catch(() => {});
    await strapi
      ?.plugin('api-tokens')
      .service('tokens')
      .flush()
      .catch((error: unknown) => log(`flush failed: ${error}`));
    await teardown(strapi, DB_FILE, log);
  }
};

runCase('tokens', main);
