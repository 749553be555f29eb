import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * A budget of `limit` points per key and fixed window of `windowSeconds` (rate-limiter-flexible). Every limiter of the
 * plugin is built here: the store is in memory, so each instance counts on its own; a shared store (PostgreSQL,
 * Redis) for several instances is a switch in this function.
 */
export const createLimiter = (name: string, limit: number, windowSeconds: number) => {
  const store: RateLimiterAbstract = new RateLimiterMemory({
    keyPrefix: `api-tokens:${name}`,
    points: limit,
    duration: windowSeconds,
  });

  const decision = (res: RateLimiterRes, allowed: boolean): LimitDecision => ({
    allowed,
    limit,
    remaining: res.remainingPoints,
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });

  return {
    limit,

    /** Takes one point from the key's budget. */
    async consume(key: string): Promise<LimitDecision> {
      try {
        return decision(await store.consume(key), true);
      } catch (error) {
        // The library rejects with the spent budget, or with a store's own error.
        if (error instanceof RateLimiterRes) return decision(error, false);
        throw error;
      }
    },

    /** The key's budget, without taking from it: not allowed once every point is spent. */
    async peek(key: string): Promise<LimitDecision> {
      const res = await store.get(key);
      return res
        ? decision(res, res.consumedPoints < limit)
        : { allowed: true, limit, remaining: limit, retryAfterSeconds: 0 };
    },

    /** Counts one point against the key, whatever its budget (e.g. a failed attempt). */
    async penalize(key: string): Promise<void> {
      await store.penalty(key);
    },
  };
};

export type Limiter = ReturnType<typeof createLimiter>;
