import { embedAdminSuite } from './admin-suite';

embedAdminSuite('sqlite');
