import { reportSuite } from './report-suite';

reportSuite('postgres');
