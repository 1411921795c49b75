/**
 * Hostile GraphQL against the real API (issue #12). In production: deep, alias-heavy and huge operations are refused
 * with QUERY_TOO_COMPLEX before any SQL runs, while a member's `me` keeps working; page sizes are checked before
 * execution; introspection and suggestions are off; only registered documents pass, except from managers. In the
 * demo (libsql, dev mode): introspection, suggestions and free-form documents work, the limits still apply.
 */
import { createHash } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import { LedgerDocument, LoginDocument, MeDocument, TiersDocument } from '@quanzi/shared/graphql';
import { CreateConsoleLoginDocument, ConsoleLoginStatusDocument } from '../../console/src/graphql/generated';
import { StatementLog } from '../src/db/statement-log';
import { startTestApp, type GqlResult, type TestApp } from './support/harness';

type Body = { query?: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> };

async function post(t: TestApp, body: Body, token?: string | null): Promise<GqlResult & { status: number }> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as GqlResult) };
}

/** Signs in with the mini-program's own (registered) Login document, as the phone does. */
async function login(t: TestApp, label: string): Promise<{ token: string; userId: number }> {
  const r = await post(t, { query: LoginDocument.query, variables: { code: t.sim.login(label) } });
  const l = (r.data as { login?: { token: string; viewer: { userId: string } } } | null)?.login;
  if (!l) throw new Error(`sign-in failed: ${JSON.stringify(r.errors)}`);
  return { token: l.token, userId: Number(l.viewer.userId) };
}

/** Counts the SQL statements the API sends while `fn` runs (entity code's and the lean SQL's: db/statement-log.ts). */
async function sqlDuring<T>(t: TestApp, fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const log = new StatementLog(t.app.services.db.orm);
  try {
    const { result, statements } = await log.record(fn);
    return { result, statements: statements.length };
  } finally {
    log.close();
  }
}

const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

/** `clubs → events → club → events …`, `depth` levels deep counting the leaf. */
function deepQuery(depth: number): string {
  let inner = 'id';
  for (let d = depth - 1; d >= 1; d--) inner = `${d === 1 ? 'clubs' : d % 2 === 0 ? 'events' : 'club'} { ${inner} }`;
  return `{ ${inner} }`;
}

describe('production mode (NODE_ENV=production)', () => {
  let t: TestApp;
  let member: { token: string; userId: number };
  let manager: { token: string; userId: number };

  beforeAll(async () => {
    t = await startTestApp('mariadb', { env: { NODE_ENV: 'production' } });
    member = await login(t, 'guard-member');
    manager = await login(t, 'guard-manager');
    await t.grant(manager.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  });
  afterAll(() => t?.close());

  test('the counter sees SQL: a member home by hash runs statements', async () => {
    const { result, statements } = await sqlDuring(t, () => post(t, { operationName: 'Me', extensions: { persistedQuery: { version: 1, sha256Hash: MeDocument.sha256 } } }, member.token));
    expect(result.errors).toBeUndefined();
    expect((result.data as { me: { memberNo: string } }).me.memberNo).toMatch(/\S/);
    expect(statements).toBeGreaterThan(0);
  });

  test('a depth-7 anonymous query, 2,000 aliases and a 10 MB answer are refused before any SQL, while a member home still works', async () => {
    const depth7 = deepQuery(7);
    expect(depth7).toBe('{ clubs { events { club { events { club { events { id } } } } } } }');
    const aliases2000 = `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: tiers { id name }`).join(' ')} }`;
    // Within depth, aliases and tokens: 15 × 100 clubs × 200 events × their texts — far over 10 MB if the data were there.
    const huge = `{ ${Array.from({ length: 15 }, (_, i) => `c${i}: clubs(first: 100) { id name description events(includePast: true) { id title description address startsAt endsAt } }`).join(' ')} }`;
    const hostile = () => [post(t, { query: depth7 }), post(t, { query: aliases2000 }), post(t, { query: huge })];
    const { result, statements } = await sqlDuring(t, () => Promise.all(hostile()));
    const [deep, many, big] = result as unknown as [GqlResult, GqlResult, GqlResult];
    expect([codeOf(deep), codeOf(many), codeOf(big)]).toEqual([ErrorCode.QUERY_TOO_COMPLEX, ErrorCode.QUERY_TOO_COMPLEX, ErrorCode.QUERY_TOO_COMPLEX]);
    expect(deep.errors?.[0]?.message).toMatch(/depth limit of 6 exceeded, found 7/);
    expect(many.errors?.[0]?.message).toMatch(/tokens/);
    expect(big.errors?.[0]?.message).toMatch(/cost \d+ exceeds the limit of 20000/);
    for (const r of result) expect(r.data ?? null).toBeNull();
    expect(result.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(statements).toBe(0); // refused before any resolver touched the database
    // Meanwhile another member's home is served.
    const during = await Promise.all([...hostile(), post(t, { query: MeDocument.query }, member.token), ...hostile()]);
    expect(during.map(codeOf)).toEqual([...Array(3).fill(ErrorCode.QUERY_TOO_COMPLEX), undefined, ...Array(3).fill(ErrorCode.QUERY_TOO_COMPLEX)]);
    expect((during[3]?.data as { me: { memberNo: string } }).me.memberNo).toMatch(/\S/);
  });

  test('aliases are limited on their own (20 cheap ones, under the token limit), and so are directives', async () => {
    const { result, statements } = await sqlDuring(t, () =>
      Promise.all([
        post(t, { query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: viewer { userId }`).join(' ')} }` }),
        post(t, { query: `{ __typename ${'@include(if: true) '.repeat(11)}}` }),
      ]),
    );
    expect(result.map(codeOf)).toEqual([ErrorCode.QUERY_TOO_COMPLEX, ErrorCode.QUERY_TOO_COMPLEX]);
    expect(result[0]?.errors?.[0]?.message).toMatch(/[Aa]liases limit of 15 exceeded/);
    expect(statements).toBe(0);
  });

  test('a page size over its maximum (or below 1) is BAD_USER_INPUT before execution', async () => {
    const { result, statements } = await sqlDuring(t, () =>
      Promise.all([post(t, { query: LedgerDocument.query, variables: { first: 1000 } }, member.token), post(t, { query: LedgerDocument.query, variables: { first: 0 } }, member.token)]),
    );
    expect(result.map(codeOf)).toEqual([ErrorCode.BAD_USER_INPUT, ErrorCode.BAD_USER_INPUT]);
    expect(result[0]?.errors?.[0]?.message).toMatch(/first must be 1–100/);
    expect(statements).toBe(0);
    const ok = await post(t, { query: LedgerDocument.query, variables: { first: 100 } }, member.token);
    expect(ok.errors).toBeUndefined();
  });

  test('introspection is refused, even for a manager; suggestions are hidden', async () => {
    for (const token of [null, manager.token]) {
      const r = await post(t, { query: '{ __schema { types { name } } }' }, token);
      expect(codeOf(r)).toBe(ErrorCode.OPERATION_NOT_ALLOWED);
      expect(r.data ?? null).toBeNull();
    }
    const typo = await post(t, { query: '{ viewer { userIdd } }' }, manager.token);
    expect(codeOf(typo)).toBe(ErrorCode.BAD_USER_INPUT);
    expect(typo.errors?.[0]?.message).toMatch(/Cannot query field "userIdd"/);
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean|userId"/);
  });

  test('registered documents pass by hash or by text; an unregistered one is refused for members and the signed-out, accepted from a manager', async () => {
    const byHash = await post(t, { operationName: 'Tiers', variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: TiersDocument.sha256 } } });
    expect(byHash.errors).toBeUndefined();
    expect((byHash.data as { tiers: unknown[] }).tiers.length).toBeGreaterThan(0);
    expect((await post(t, { query: TiersDocument.query })).errors).toBeUndefined();

    const freeForm = '{ me { memberNo points } viewer { userId } }';
    const { result, statements } = await sqlDuring(t, () => Promise.all([post(t, { query: freeForm }, member.token), post(t, { query: freeForm })]));
    for (const r of result) {
      expect(codeOf(r)).toBe(ErrorCode.OPERATION_NOT_ALLOWED);
      expect(r.status).toBe(403);
      expect(r.data ?? null).toBeNull();
    }
    expect(statements).toBeLessThanOrEqual(1); // the member's roles, nothing else
    // The same text with a matching hash does not make it registered.
    const withHash = await post(t, { query: freeForm, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(freeForm) } } }, member.token);
    expect(codeOf(withHash)).toBe(ErrorCode.OPERATION_NOT_ALLOWED);

    const mgr = await post(t, { query: '{ viewer { userId roles { role scope } } tiers { code } }' }, manager.token);
    expect(mgr.errors).toBeUndefined();
    expect((mgr.data as { viewer: { roles: { role: string }[] } }).viewer.roles.map((g) => g.role)).toContain('MANAGER');
    // A manager's document sent with its hash is run but never registered: the hash alone stays unknown.
    const q = '{ tiers { id code } }';
    expect((await post(t, { query: q, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(q) } } }, manager.token)).errors).toBeUndefined();
    const again = await post(t, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(q) } } }, member.token);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, reason: 'PERSISTED_QUERY_NOT_FOUND' });
    // Managers stay limited.
    expect(codeOf(await post(t, { query: deepQuery(7) }, manager.token))).toBe(ErrorCode.QUERY_TOO_COMPLEX);
  });

  test("the manager console's signed-out sign-in is registered too (its own manifest), so a manager can sign in in production", async () => {
    const created = await post(t, { query: CreateConsoleLoginDocument.query });
    expect(created.errors).toBeUndefined();
    const ticket = (created.data as { createConsoleLogin: { ticket: string } }).createConsoleLogin.ticket;
    const status = await post(t, { query: ConsoleLoginStatusDocument.query, variables: { ticket } });
    expect(status.errors).toBeUndefined();
    expect(status.data).toMatchObject({ consoleLoginStatus: { status: 'PENDING' } });
  });
});

describe('the demo (dev mode, libsql)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { demo: true });
  });
  afterAll(() => t?.close());

  test('introspection, suggestions and free-form documents work; the limits still apply', async () => {
    const intro = await post(t, { query: '{ __schema { queryType { name } } }' });
    expect(intro.errors).toBeUndefined();
    expect(intro.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const typo = await post(t, { query: '{ viewer { userIdd } }' });
    expect(typo.errors?.[0]?.message).toMatch(/Did you mean "userId"/);
    const free = await post(t, { query: '{ tiers { code } }' });
    expect(free.errors).toBeUndefined();
    const hashed = await post(t, { operationName: 'Tiers', extensions: { persistedQuery: { version: 1, sha256Hash: TiersDocument.sha256 } } });
    expect(hashed.errors).toBeUndefined();
    expect(codeOf(await post(t, { query: deepQuery(7) }))).toBe(ErrorCode.QUERY_TOO_COMPLEX);
  });
});

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
