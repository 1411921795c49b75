import { ruleCouponSuite } from './support/rule-coupon-suite';

describe('birthday-month and tier-upgrade coupons on libsql', () => ruleCouponSuite('sqlite'));
