/**
 * The club policy in src/auth/authz.ts (pure): who may do what to one club. A club's own organizers run it;
 * managers whose scope covers the club's store (HQ for an organisation-wide club) oversee it; staff only check
 * people in at the door of an event held at their store; being an organizer of another club counts for nothing.
 */
import { allows, clubAllows, type ClubAction, type ClubTarget, type RoleGrant, type Target } from '../src/auth/authz';

const BJ = 1;
const XA = 2;
const GUOMAO = 10; // in Beijing
const ZHONGLOU = 30; // in Xi'an
const g = (role: RoleGrant['role'], scope: RoleGrant['scope'], storeId: number | null = null, regionId: number | null = null): RoleGrant => ({ role, scope, storeId, regionId });
const guomao: Target = { kind: 'STORE', storeId: GUOMAO, regionId: BJ };
const zhonglou: Target = { kind: 'STORE', storeId: ZHONGLOU, regionId: XA };
const hq: Target = { kind: 'HQ' };

const hqManager = g('MANAGER', 'HQ');
const bjManager = g('MANAGER', 'REGION', null, BJ);
const guomaoManager = g('MANAGER', 'STORE', GUOMAO, BJ);
const guomaoStaff = g('STAFF', 'STORE', GUOMAO, BJ);
const zhonglouStaff = g('STAFF', 'STORE', ZHONGLOU, XA);
const hqOrganizer = g('ORGANIZER', 'HQ');
const guomaoOrganizer = g('ORGANIZER', 'STORE', GUOMAO, BJ);

/** A club at `club` whose events take place at `venue`; `organizer` = the user organizes this very club. */
const at = (club: Target, venue: Target | null, organizer: boolean): ClubTarget => ({ club, venue, isOrganizer: async () => organizer });

describe('clubAllows', () => {
  const all: ClubAction[] = ['club.edit', 'club.moderate', 'club.announce', 'club.organizers', 'event.manage', 'event.checkin'];
  const organizerActions: ClubAction[] = ['club.edit', 'club.moderate', 'club.announce', 'event.manage', 'event.checkin'];

  test.each(organizerActions)('the club’s own organizer may %s', async (action) => {
    expect(await clubAllows([], action, at(hq, null, true))).toBe(true);
  });

  test('the club’s own organizer may not grant the organizer role', async () => {
    expect(await clubAllows([], 'club.organizers', at(hq, null, true))).toBe(false);
  });

  test.each(all)('an organizer of another club (HQ organizer grant, not this club’s) may not %s', async (action) => {
    expect(await clubAllows([hqOrganizer], action, at(hq, guomao, false))).toBe(false);
  });

  test.each<[string, RoleGrant, Target, boolean]>([
    ['an HQ manager oversees an organisation-wide club', hqManager, hq, true],
    ['an HQ manager oversees a store club', hqManager, guomao, true],
    ['a region manager oversees clubs at its stores', bjManager, guomao, true],
    ['a region manager does not oversee organisation-wide clubs', bjManager, hq, false],
    ["a region manager does not oversee another region's clubs", bjManager, zhonglou, false],
    ['a store manager oversees its store’s clubs', guomaoManager, guomao, true],
    ['a store manager does not oversee other stores’ clubs', guomaoManager, zhonglou, false],
    ['staff do not run clubs', guomaoStaff, guomao, false],
  ])('%s', async (_name, grant, club, expected) => {
    for (const action of all) expect(await clubAllows([grant], action, at(club, null, false))).toBe(expected);
  });

  test.each<[string, RoleGrant, Target | null, boolean]>([
    ['staff at the event’s store check people in', guomaoStaff, guomao, true],
    ['staff of another store do not', zhonglouStaff, guomao, false],
    ['staff do not check in where there is no store', guomaoStaff, null, false],
    ['the venue’s store manager checks people in', guomaoManager, guomao, true],
    ['a region manager over the venue checks people in', bjManager, guomao, true],
  ])('event.checkin: %s', async (_name, grant, venue, expected) => {
    expect(await clubAllows([grant], 'event.checkin', at(hq, venue, false))).toBe(expected);
  });

  test('staff at the venue may check in but not run the event', async () => {
    expect(await clubAllows([guomaoStaff], 'event.manage', at(hq, guomao, false))).toBe(false);
  });

  test('a grant that already allows skips the organizer look-up', async () => {
    let looked = 0;
    const c: ClubTarget = { club: hq, venue: null, isOrganizer: async () => (looked++, false) };
    expect(await clubAllows([hqManager], 'club.edit', c)).toBe(true);
    expect(looked).toBe(0);
  });
});

describe('club actions in POLICY', () => {
  test.each<[string, RoleGrant, Target, boolean]>([
    ['an HQ organizer starts clubs anywhere', hqOrganizer, guomao, true],
    ['an HQ organizer starts organisation-wide clubs', hqOrganizer, hq, true],
    ['a store organizer starts clubs at its store', guomaoOrganizer, guomao, true],
    ['a store organizer does not start clubs elsewhere', guomaoOrganizer, zhonglou, false],
    ['a store organizer does not start organisation-wide clubs', guomaoOrganizer, hq, false],
    ['managers start clubs in scope', bjManager, guomao, true],
    ['staff do not start clubs', guomaoStaff, guomao, false],
  ])('club.create: %s', (_name, grant, target, expected) => {
    expect(allows([grant], 'club.create', target)).toBe(expected);
  });

  test('club.report is for managers in scope; club.jobs for HQ managers', () => {
    expect(allows([bjManager], 'club.report', guomao)).toBe(true);
    expect(allows([bjManager], 'club.report', zhonglou)).toBe(false);
    expect(allows([hqOrganizer], 'club.report', hq)).toBe(false);
    expect(allows([hqManager], 'club.jobs', hq)).toBe(true);
    expect(allows([bjManager], 'club.jobs', hq)).toBe(false);
  });
});
