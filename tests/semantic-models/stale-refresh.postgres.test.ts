import { staleRefreshSuite } from './stale-refresh-suite';

staleRefreshSuite('postgres');
