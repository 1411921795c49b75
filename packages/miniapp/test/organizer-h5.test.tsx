import { errorMessageZh } from '@quanzi/shared';
import AttendeesPage from '../src/organizer/attendees';
import { api, click, mount, openWith, resetAll, signIn, fail, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));
jest.mock('../src/utils/scan', () => jest.requireActual('../src/utils/scan.h5'));

// The check-in happened five minutes before this moment; nothing here depends on today.
const NOW = Date.parse('2030-06-10T11:40:00.000Z'); // deliberately absolute: one fixed reference

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('organizer check-in on H5 (a text field instead of the scanner)', () => {
  it('checks in a typed member code', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    api.on('EventRsvps', { eventRsvps: [] });
    api.on('CheckInAttendee', {
      checkInAttendee: {
        replayed: false,
        rsvpStatus: null,
        attendance: { id: 'a1', memberNo: '10000042', nickname: null, checkedInAt: new Date(NOW - 5 * 60_000).toISOString(), pointsAwarded: 0, walkIn: true },
      },
    });
    await mount(AttendeesPage);
    expect(text()).not.toContain('扫描会员码签到');
    await type('attendees__code', ' QZ1.10000042.123456 ');
    await click('签到');
    await waitForText('签到成功：会员（10000042） · 现场报名');
    expect(api.callsOf('CheckInAttendee')[0]?.variables).toEqual({ eventId: 'e1', memberCode: 'QZ1.10000042.123456' });
  });

  it('shows RSVP_REQUIRED and EVENT_CLOSED in Chinese', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    api.on('EventRsvps', { eventRsvps: [] });
    api.on('CheckInAttendee', fail('RSVP_REQUIRED'));
    await mount(AttendeesPage);
    await type('attendees__code', 'QZ1.10000042.123456');
    await click('签到');
    await waitForText(errorMessageZh.RSVP_REQUIRED);
    api.on('CheckInAttendee', fail('EVENT_CLOSED'));
    await click('签到');
    await waitForText(errorMessageZh.EVENT_CLOSED);
  });
});
