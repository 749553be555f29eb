import { selectSuite } from './select-suite';

selectSuite('sqlite');
