import { rewardStockSuite } from './support/reward-stock-suite';

describe('reward stock under concurrency on libsql', () => rewardStockSuite('sqlite'));
