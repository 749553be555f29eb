import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { getService } from '../utils/get-service';

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * A budget of `limit` points per key and fixed window of `windowSeconds` (rate-limiter-flexible), on the store the
 * cluster service names (`rateLimit.store`: memory, PostgreSQL or Redis), built at first use. A key known to be past
 * its budget is answered from memory until its window ends, so a client hammering past its limit costs no store call.
 */
export const createLimiter = (name: string, limit: number, windowSeconds: number) => {
  let store: RateLimiterAbstract | undefined;
  const getStore = () =>
    (store ??= getService('cluster').createLimiter({
      keyPrefix: `api-tokens:${name}`,
      points: limit,
      duration: windowSeconds,
    }));
  // key → when its window ends (ms), for keys the store said were spent.
  const spent = new Map<string, number>();

  const decision = (key: string, res: RateLimiterRes, allowed: boolean): LimitDecision => {
    if (!allowed && res.msBeforeNext > 0) {
      if (spent.size >= 10_000) spent.clear();
      spent.set(key, Date.now() + res.msBeforeNext);
    }
    return {
      allowed,
      limit,
      remaining: res.remainingPoints,
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  };

  const knownSpent = (key: string): LimitDecision | undefined => {
    const until = spent.get(key);
    if (until === undefined) return undefined;
    const ms = until - Date.now();
    if (ms > 0) return { allowed: false, limit, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
    spent.delete(key);
    return undefined;
  };

  return {
    limit,

    /** Takes one point from the key's budget. */
    async consume(key: string): Promise<LimitDecision> {
      const known = knownSpent(key);
      if (known) return known;
      try {
        return decision(key, await getStore().consume(key), true);
      } catch (error) {
        // The library rejects with the spent budget, or with a store's own error.
        if (error instanceof RateLimiterRes) return decision(key, error, false);
        throw error;
      }
    },

    /** The key's budget, without taking from it: not allowed once every point is spent. */
    async peek(key: string): Promise<LimitDecision> {
      const known = knownSpent(key);
      if (known) return known;
      const res = await getStore().get(key);
      return res
        ? decision(key, res, res.consumedPoints < limit)
        : { allowed: true, limit, remaining: limit, retryAfterSeconds: 0 };
    },

    /** Counts one point against the key, whatever its budget (e.g. a failed attempt). */
    async penalize(key: string): Promise<void> {
      await getStore().penalty(key);
    },
  };
};

export type Limiter = ReturnType<typeof createLimiter>;
