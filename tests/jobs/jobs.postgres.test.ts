import { ledgerSuite } from './ledger-suite';

ledgerSuite('postgres');
