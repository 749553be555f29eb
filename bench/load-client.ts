/** The parent's side of bench/load.ts: a forked autocannon, one round at a time. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RoundRequest, RoundResult } from './load';

/** A round that produced nothing, with why. */
export const failedRound = (id: number, error: string): RoundResult => ({
  id,
  duration: 0,
  responses: 0,
  ok: 0,
  non2xx: 0,
  statuses: {},
  errors: 1,
  timeouts: 0,
  latencies: [],
  error,
});

/** The forked load generator, one autocannon round at a time. */
export const startLoadGenerator = async () => {
  const child: ChildProcess = fork(path.join(__dirname, 'load.ts'), [], {
    // Under tsx these flags carry its loader, so the child can be TypeScript too.
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (result: RoundResult) => void>();
  let nextId = 1;
  let exited = false;
  const failAll = (why: string) => {
    for (const [id, resolve] of pending) {
      resolve(failedRound(id, why));
    }
    pending.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load generator exited early (${code})`)));
    child.on('message', (message: any) => {
      if (message?.type === 'ready') return resolve();
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    });
  });
  child.on('exit', (code, signal) => {
    exited = true;
    failAll(`load generator exited (${code ?? signal})`);
  });
  await ready;
  return {
    run(request: Omit<RoundRequest, 'type' | 'id'>): Promise<RoundResult> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.send({ type: 'run', id, ...request } satisfies RoundRequest);
      });
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
};

export type LoadGenerator = Awaited<ReturnType<typeof startLoadGenerator>>;
