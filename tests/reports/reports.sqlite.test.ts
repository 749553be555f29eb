import { reportSuite } from './report-suite';

reportSuite('sqlite');
