/**
 * An in-process CPU profile (node:inspector, the same sampler as --cpu-prof) around a piece of a case, summarised as
 * the functions with the most self time and the share of time per area (SQLite, knex, Strapi's query layer, the
 * plugin, …). Only the main thread is profiled: time spent blocked inside better-sqlite3 shows as its native
 * functions (`all`, `run`, `exec`, …) called from knex's better-sqlite3 dialect.
 */
import { Session } from 'node:inspector';
import path from 'node:path';
import { APP_DIR } from './app';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const post = <T>(session: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T)))
  );

export const startProfile = async (intervalMicros = 500) => {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: intervalMicros });
  await post(session, 'Profiler.start');
  return {
    async stop(): Promise<Profile> {
      const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
      await post(session, 'Profiler.disable');
      session.disconnect();
      return profile;
    },
  };
};

const shortUrl = (url: string) => {
  if (!url) return '';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) return file.slice(nm + 'node_modules/'.length);
  return path.relative(APP_DIR, file);
};

/** Which part of the stack a function belongs to. */
const areaOf = (frame: CallFrame): string => {
  const url = frame.url;
  if (!url) {
    if (frame.functionName.startsWith('(')) return frame.functionName; // (garbage collector), (program), (idle)
    return 'native (better-sqlite3 / node built-ins)';
  }
  if (url.includes('node_modules/better-sqlite3')) return 'better-sqlite3 (JS)';
  if (url.includes('node_modules/knex')) return 'knex';
  if (url.includes('node_modules/@strapi/database')) return '@strapi/database (query layer)';
  if (url.includes('node_modules/@strapi/')) return `@strapi/${url.split('node_modules/@strapi/')[1].split('/')[0]}`;
  if (url.includes('node_modules/cron-parser') || url.includes('node_modules/luxon')) return 'cron-parser / luxon';
  if (url.includes('src/plugins/api-tokens')) return 'api-tokens plugin';
  if (url.includes('/bench/')) return 'bench';
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('node_modules/')) {
    const rest = url.slice(url.lastIndexOf('node_modules/') + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return 'other';
};

const label = (frame: CallFrame) =>
  `${frame.functionName || '(anonymous)'}  ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;

/** Self time in microseconds per function and per area (see areaOf), and in all. */
export const selfTime = (profile: Profile) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const self = new Map<number, number>();
  // The profiler's own Profiler.stop (serialising the profile) is not the profiled code's time.
  const isProfiler = (id: number) => parentOf.get(id)?.callFrame.url === 'node:inspector';
  for (let i = 0; i < profile.samples.length; i += 1) {
    if (isProfiler(profile.samples[i])) continue;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    // A native function (no script) is named with its JS caller, e.g. better-sqlite3's `run` called from knex.
    const parent = parentOf.get(id)?.callFrame;
    const key =
      frame.url || frame.functionName.startsWith('(') || !parent
        ? label(frame)
        : `${frame.functionName || '(anonymous)'} (native) ← ${label(parent)}`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + micros);
  }
  return { total, functions, areas, byId, parentOf, isProfiler };
};

/**
 * Self time per function (top `top`) and per area, as printable lines; plus the inclusive time of the plugin's
 * functions named in `inclusive` (their synchronous part: an async function's time after an await is not under it).
 */
export const summarizeProfile = (profile: Profile, top = 12, inclusive: string[] = []): string[] => {
  const { total, functions, areas, byId, parentOf, isProfiler } = selfTime(profile);
  const pct = (micros: number) => `${((100 * micros) / total).toFixed(1).padStart(5)}%`;
  const lines = [`CPU profile: ${(total / 1e6).toFixed(2)} s sampled on the main thread`, 'self time by area:'];
  for (const [area, micros] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    lines.push(`  ${pct(micros)}  ${area}`);
  }
  if (inclusive.length) {
    const under = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i += 1) {
      if (isProfiler(profile.samples[i])) continue;
      const seen = new Set<string>();
      for (let node = byId.get(profile.samples[i]); node; node = parentOf.get(node.id)) {
        const { functionName, url } = node.callFrame;
        if (url.includes('plugins/api-tokens') && inclusive.includes(functionName)) seen.add(functionName);
      }
      for (const name of seen) under.set(name, (under.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
    lines.push('inclusive time of plugin functions:');
    for (const name of inclusive) {
      lines.push(`  ${pct(under.get(name) ?? 0)}  ${name}`);
    }
  }
  lines.push(`top ${top} functions by self time:`);
  for (const [key, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`  ${pct(micros)}  ${key}`);
  }
  return lines;
};
