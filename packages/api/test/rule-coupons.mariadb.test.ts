import { ruleCouponSuite } from './support/rule-coupon-suite';

describe('birthday-month and tier-upgrade coupons on MariaDB', () => ruleCouponSuite('mariadb'));
