import { lifecycleSummarySuite } from './support/lifecycle-summary-suite';

lifecycleSummarySuite('mariadb');
