import { bonusSuite } from './support/bonus-suite';

describe('birthday-month and profile-completion bonuses on libsql', () => bonusSuite('sqlite'));
