/** Cohort retention (issue #15 item 5) on libsql (the embedded demo database): see test/support/cohorts-suite.ts. */
import { cohortsSuite } from './support/cohorts-suite';

cohortsSuite('sqlite');
