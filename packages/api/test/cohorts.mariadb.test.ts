/** Cohort retention (issue #15 item 5) on MariaDB: see test/support/cohorts-suite.ts. */
import { cohortsSuite } from './support/cohorts-suite';

cohortsSuite('mariadb');
