import { tokenSuite } from './token-suite';

tokenSuite('postgres');
