import { selectSuite } from './select-suite';

selectSuite('postgres');
