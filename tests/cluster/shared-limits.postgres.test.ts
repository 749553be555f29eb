import { describeOnDatabase } from '../helpers/strapi';
import { sharedLimitsSuite } from './shared-limits-suite';

describeOnDatabase('postgres')('shared limits and cache invalidation on PostgreSQL (store table, LISTEN/NOTIFY)', () =>
  sharedLimitsSuite('postgres')
);
