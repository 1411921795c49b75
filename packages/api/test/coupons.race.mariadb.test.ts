import { couponRaceSuite } from './support/coupon-race-suite';

describe('coupon budgets and points-to-voucher under concurrency on MariaDB', () => couponRaceSuite('mariadb'));
