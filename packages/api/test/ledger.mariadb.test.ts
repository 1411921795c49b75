import { ledgerSuite } from './support/ledger-suite';

describe('points ledger on MariaDB', () => ledgerSuite('mariadb'));
