import { rsvpSuite } from './support/rsvp-suite';

describe('event RSVPs, waitlist and refunds on libsql', () => rsvpSuite('sqlite'));
