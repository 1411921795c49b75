import { analyticsSummarySuite } from './support/analytics-summary-suite';

analyticsSummarySuite('sqlite');
