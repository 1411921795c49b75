import { tillRewardSuite } from './support/till-reward-suite';

describe('rewards redeemed at the till on MariaDB', () => tillRewardSuite('mariadb'));
