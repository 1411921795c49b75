import { referralSuite } from './support/referral-suite';

describe('referrals on MariaDB', () => referralSuite('mariadb'));
