import { sourceAccessSuite } from './source-access-suite';

sourceAccessSuite('postgres');
