import { campaignSegmentSuite } from './support/campaign-segment-suite';

campaignSegmentSuite('mariadb');
