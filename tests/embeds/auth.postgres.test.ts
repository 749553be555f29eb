import { authSuite } from './auth-suite';

authSuite('postgres');
