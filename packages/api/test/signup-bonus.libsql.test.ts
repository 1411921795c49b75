import { signupBonusSuite } from './support/signup-bonus-suite';

describe('sign-up bonus on libsql', () => signupBonusSuite('sqlite'));
