import { tokenSuite } from './token-suite';

tokenSuite('sqlite');
