import type { Redis } from 'ioredis';
import type { Transport } from './bus';

interface Options {
  /** The shared connection, which publishes; a duplicate subscribes. */
  redis: Redis;
  channel: string;
  log: { info(message: string): void; warn(message: string): void };
}

/** Redis pub/sub: ioredis reconnects and resubscribes by itself; every subscriber resyncs after an outage. */
export const redisTransport = ({ redis, channel, log }: Options): Transport => {
  const subscriber = redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
  let down = false;
  let ready = false;

  return {
    name: 'redis',
    async start(deliver, resync) {
      subscriber.on('message', (from: string, message: string) => {
        if (from === channel) deliver(message);
      });
      subscriber.on('error', (error: Error) => {
        if (!down) log.warn(`api-tokens: cluster subscriber lost (${error.message}); reconnecting`);
        down = true;
      });
      subscriber.on('ready', () => {
        if (ready && down) {
          log.info('api-tokens: cluster subscriber reconnected');
          resync();
        }
        ready = true;
        down = false;
      });
      subscriber.on('close', () => {
        if (ready) down = true;
      });
      // Not awaited: with Redis down the command waits for the connection, and the boot must not.
      subscriber.subscribe(channel).catch((error: Error) => {
        log.warn(`api-tokens: cannot subscribe to Redis (${error.message})`);
      });
    },
    async publish(message) {
      await redis.publish(channel, message);
    },
    async close() {
      subscriber.disconnect();
    },
  };
};
