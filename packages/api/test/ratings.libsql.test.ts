import { ratingsSuite } from './support/ratings-suite';

describe('instant service ratings (F11) on libsql', () => ratingsSuite('sqlite'));
