import { embedAdminSuite } from './admin-suite';

embedAdminSuite('postgres');
