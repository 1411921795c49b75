import { rsvpSuite } from './support/rsvp-suite';

describe('event RSVPs, waitlist and refunds on MariaDB', () => rsvpSuite('mariadb'));
