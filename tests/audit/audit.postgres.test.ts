import { auditSuite } from './audit-suite';

auditSuite('postgres');
