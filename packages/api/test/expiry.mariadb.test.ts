import { expirySuite } from './support/expiry-suite';

describe('points expiry in batches on MariaDB', () => expirySuite('mariadb'));
