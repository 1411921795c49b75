import { rewardStockSuite } from './support/reward-stock-suite';

describe('reward stock under concurrency on MariaDB', () => rewardStockSuite('mariadb'));
