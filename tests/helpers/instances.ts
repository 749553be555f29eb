import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './ports';

/** A Strapi instance running in its own OS process (tests/helpers/instance-process.ts). */
export interface InstanceProcess {
  pid: number;
  /** The run ledger's owner id of this instance. */
  owner: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Calls `strapi.plugin('api-tokens').service(service)[method](...args)` in the instance; the result is JSON. */
  call<T = unknown>(service: string, method: string, ...args: unknown[]): Promise<T>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** `kill -9`: no shutdown, no lease release. Resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Destroys Strapi and waits for the process to exit (a no-op once it has exited). */
  stop(): Promise<void>;
}

const encode = (value: unknown): unknown => {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encode(item)]));
  }
  return value;
};

/**
 * Boots one instance of the compiled app in a child process, on the database `env` names (by default the one the
 * current process's environment names, e.g. after `startStrapi({database: 'postgres'})`), listening on a free port.
 */
export const startInstanceProcess = async (env: Record<string, string | undefined> = {}): Promise<InstanceProcess> => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'instance-process.ts')], {
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let nextId = 0;

  const ready = await new Promise<{ owner: string }>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const error = new Error(`instance ${child.pid} exited (${code ?? signal}):\n${output}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
    child.on('message', (message: any) => {
      if (message.type === 'ready') return resolve(message);
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  });

  const send = (message: object) =>
    new Promise<any>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error('instance has exited'));
      const id = (nextId += 1);
      pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });

  return {
    pid: child.pid!,
    owner: ready.owner,
    url: `http://127.0.0.1:${port}`,
    call: (service, method, ...args) => send({ type: 'call', service, method, args: encode(args) }),
    output: () => output,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await send({ type: 'stop' }).catch(() => child.kill('SIGKILL'));
      await exited;
    },
  };
};

/**
 * Boots `count` instances (see startInstanceProcess): the first alone, since it may create or migrate the schema,
 * then the others at once.
 */
export const startInstanceProcesses = async (count: number, env: Record<string, string | undefined> = {}) => {
  const first = await startInstanceProcess(env);
  const others = await Promise.all(Array.from({ length: count - 1 }, () => startInstanceProcess(env)));
  return [first, ...others];
};
