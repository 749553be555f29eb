import { describeOnRedis } from '../helpers/strapi';
import { sharedLimitsSuite } from './shared-limits-suite';

describeOnRedis()('shared limits and cache invalidation through Redis (RateLimiterRedis, pub/sub)', () =>
  sharedLimitsSuite('redis')
);
