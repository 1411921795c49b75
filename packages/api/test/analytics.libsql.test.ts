/** Analytics (issue #15) on libsql (the embedded demo database): see test/support/analytics-suite.ts. */
import { analyticsSuite } from './support/analytics-suite';

analyticsSuite('sqlite');
