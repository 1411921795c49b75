/**
 * The member's inbox read state: newest first with readAt, the unread count, and markNotificationRead (own notices
 * only, idempotent, bad ids coded and changing nothing).
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../src/clock';
import { startTestApp, type TestApp } from './support/harness';
import { ClubKit, errCode, ok, type Persona } from './support/clubs';

const INBOX = `{ myNotifications(first: 10) { id title page readAt } myUnreadNotificationCount }`;
const MARK = `mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }`;
type Inbox = { myNotifications: { id: string; title: string; page: string | null; readAt: string | null }[]; myUnreadNotificationCount: number };

describe.each(['mariadb', 'sqlite'] as const)('notification inbox (%s)', (dialect) => {
  let t: TestApp;
  let kit: ClubKit;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    kit = new ClubKit(t, `inbox${dialect}`);
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  const notify = async (p: Persona, ref: string, now: Date) =>
    t.app.services.notifications.notify(t.app.services.db.q, [p.memberId], { kind: 'CAMPAIGN', ref, title: `优惠 ${ref}`, body: '满100减20', page: 'rewards/coupons/index' }, now);

  test('newest first with an unread count; marking read is idempotent and only for the owner', async () => {
    const now = new Date(Math.floor(clock.ms() / 1000) * 1000);
    clock.set(now);
    const [a, b] = await kit.members(2);
    await notify(a!, 'one', new Date(now.getTime() - 60_000));
    await notify(a!, 'two', now);
    await notify(b!, 'other', now);

    const before = ok(await t.gql<Inbox>(INBOX, {}, a!.token));
    expect(before.myNotifications.map((n) => n.title)).toEqual(['优惠 two', '优惠 one']);
    expect(before.myNotifications.every((n) => n.readAt === null)).toBe(true);
    expect(before.myUnreadNotificationCount).toBe(2);

    const target = before.myNotifications[1]!;
    const first = ok(await t.gql<{ markNotificationRead: { id: string; readAt: string } }>(MARK, { id: target.id }, a!.token)).markNotificationRead;
    expect(first).toEqual({ id: target.id, readAt: now.toISOString() });
    clock.offset(60_000);
    const again = ok(await t.gql<{ markNotificationRead: { readAt: string } }>(MARK, { id: target.id }, a!.token)).markNotificationRead;
    expect(again.readAt).toBe(now.toISOString());

    const after = ok(await t.gql<Inbox>(INBOX, {}, a!.token));
    expect(after.myUnreadNotificationCount).toBe(1);
    expect(after.myNotifications.find((n) => n.id === target.id)!.readAt).toBe(now.toISOString());

    // b cannot read a's notice, nor see it; bad ids are refused; the signed-out are refused.
    expect(errCode(await t.gql(MARK, { id: after.myNotifications[0]!.id }, b!.token))).toBe(ErrorCode.NOT_FOUND);
    expect(errCode(await t.gql(MARK, { id: 'x; DROP' }, a!.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(errCode(await t.gql(MARK, { id: target.id }, null))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(errCode(await t.gql('{ myUnreadNotificationCount }', {}, null))).toBe(ErrorCode.UNAUTHENTICATED);
    const bs = ok(await t.gql<Inbox>(INBOX, {}, b!.token));
    expect(bs.myNotifications.map((n) => n.title)).toEqual(['优惠 other']);
    expect(bs.myUnreadNotificationCount).toBe(1);
    expect(ok(await t.gql<Inbox>(INBOX, {}, a!.token)).myUnreadNotificationCount).toBe(1);
  });
});
