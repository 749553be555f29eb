import { Client, type ClientConfig } from 'pg';
import type { Transport } from './bus';

interface Options {
  /** The database's connection settings, for the listening client. */
  connection: ClientConfig;
  channel: string;
  /** Sends a NOTIFY through the app's pool. */
  notify: (channel: string, message: string) => Promise<unknown>;
  log: { info(message: string): void; warn(message: string): void };
}

const MAX_BACKOFF_MS = 30_000;
/** The listening connection's `application_name` (in `pg_stat_activity`). */
export const LISTENER_NAME = 'api-tokens-cluster';

/**
 * PostgreSQL LISTEN/NOTIFY: one dedicated client listens (reconnecting with backoff, then asking every subscriber to
 * resync); publishing is a `pg_notify` through the app's pool.
 */
export const pgTransport = ({ connection, channel, notify, log }: Options): Transport => {
  let closed = false;
  let client: Client | null = null;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let deliver: (message: string) => void = () => {};
  let resync: () => void = () => {};

  const listen = async () => {
    const next = new Client({ ...connection, application_name: LISTENER_NAME });
    let lost = false;
    const lose = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (client === next) client = null;
      next.end().catch(() => {});
      if (closed) return;
      if (failures === 0)
        log.warn(`api-tokens: cluster listener lost (${error?.message ?? 'connection ended'}); reconnecting`);
      reconnectSoon();
    };
    next.on('error', lose);
    next.on('end', () => lose());
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload) deliver(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      lose(error as Error);
      throw error;
    }
    client = next;
  };

  const reconnectSoon = () => {
    if (timer || closed) return;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures);
    failures += 1;
    timer = setTimeout(async () => {
      timer = undefined;
      try {
        await listen();
      } catch {
        return;
      }
      failures = 0;
      log.info('api-tokens: cluster listener reconnected');
      resync();
    }, delay);
    timer.unref();
  };

  return {
    name: 'postgres',
    async start(onMessage, onResync) {
      deliver = onMessage;
      resync = onResync;
      // A failure here is logged by lose() and retried in the background.
      await listen().catch(() => {});
    },
    async publish(message) {
      await notify(channel, message);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
};
