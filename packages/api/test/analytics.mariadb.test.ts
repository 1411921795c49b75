/** Analytics (issue #15) on MariaDB: see test/support/analytics-suite.ts. */
import { analyticsSuite } from './support/analytics-suite';

analyticsSuite('mariadb');
