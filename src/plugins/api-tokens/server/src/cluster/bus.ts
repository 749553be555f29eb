import { randomUUID } from 'node:crypto';

/**
 * Called with a topic's payload, or with null when messages may have been missed (the transport reconnected): the
 * subscriber then drops everything it caches for the topic.
 */
export type Handler<T> = (payload: T | null) => void;

/** Carries the bus's messages between instances. */
export interface Transport {
  readonly name: 'postgres' | 'redis';
  /** `deliver` gets every message published by any instance, this one included; `resync` after a reconnect. */
  start(deliver: (message: string) => void, resync: () => void): Promise<void>;
  publish(message: string): Promise<void>;
  close(): Promise<void>;
}

interface Logger {
  warn(message: string): void;
}

interface Envelope {
  /** The sending instance. */
  o: string;
  t: string;
  p: unknown;
}

/**
 * Topics and handlers of one instance. `broadcast` runs this instance's handlers at once, then publishes to the
 * others through the transport (none on SQLite: one instance).
 */
export const createBus = (log: Logger) => {
  const origin = randomUUID();
  const handlers = new Map<string, Set<Handler<any>>>();
  let transport: Transport | null = null;

  const run = (topic: string, payload: unknown) => {
    for (const handler of handlers.get(topic) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        log.warn(`api-tokens: a subscriber of ${topic} failed: ${error}`);
      }
    }
  };

  const deliver = (message: string) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message);
    } catch {
      return;
    }
    if (envelope.o !== origin && typeof envelope.t === 'string') run(envelope.t, envelope.p ?? null);
  };

  const resync = () => {
    for (const topic of handlers.keys()) run(topic, null);
  };

  return {
    get transport() {
      return transport?.name ?? 'in-process';
    },

    subscribe<T>(topic: string, handler: Handler<T>): () => void {
      if (!handlers.has(topic)) handlers.set(topic, new Set());
      handlers.get(topic)!.add(handler);
      return () => handlers.get(topic)?.delete(handler);
    },

    /**
     * Runs the topic's handlers here, then tells the other instances. Never rejects: an instance that misses the
     * message still applies the change when its cache entry ends.
     */
    async broadcast<T>(topic: string, payload: T): Promise<void> {
      run(topic, payload);
      if (!transport) return;
      try {
        await transport.publish(JSON.stringify({ o: origin, t: topic, p: payload } satisfies Envelope));
      } catch (error) {
        log.warn(`api-tokens: could not tell the other instances about ${topic}: ${error}`);
      }
    },

    async attach(next: Transport) {
      transport = next;
      await next.start(deliver, resync);
    },

    async close() {
      const closing = transport;
      transport = null;
      await closing?.close();
    },
  };
};

export type Bus = ReturnType<typeof createBus>;
