import { ledgerSuite } from './support/ledger-suite';

describe('points ledger on libsql', () => ledgerSuite('sqlite'));
