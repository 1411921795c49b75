import { referralSuite } from './support/referral-suite';

describe('referrals on libsql', () => referralSuite('sqlite'));
