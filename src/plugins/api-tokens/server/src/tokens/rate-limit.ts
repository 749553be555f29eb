export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until one more request is allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * A token bucket per key: `requestsPerMinute` sustained, with bursts up to the same number.
 * In memory, so each instance keeps its own budget.
 */
export const createRateLimiter = (requestsPerMinute: number, maxKeys = 100_000) => {
  const perMs = requestsPerMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return (key: string, now = Date.now()): RateLimitDecision => {
    const bucket = buckets.get(key) ?? { tokens: requestsPerMinute, at: now };
    bucket.tokens = Math.min(requestsPerMinute, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    if (!buckets.has(key) && buckets.size >= maxKeys) buckets.clear();
    buckets.set(key, bucket);
    return {
      allowed,
      limit: requestsPerMinute,
      remaining: Math.floor(bucket.tokens),
      retryAfterSeconds: allowed ? 0 : Math.ceil((1 - bucket.tokens) / perMs / 1000),
    };
  };
};
