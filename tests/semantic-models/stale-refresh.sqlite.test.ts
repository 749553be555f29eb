import { staleRefreshSuite } from './stale-refresh-suite';

staleRefreshSuite('sqlite');
