/** The client sends operations as trusted documents: the hash the API registered, the text only when asked. */
import { MeDocument } from '@quanzi/shared/graphql';
import { request } from '../src/api/client';
import { api, resetAll, signIn } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

const me = { me: { id: '1', memberNo: 'M1', phone: null, phoneBound: false, points: 0, codeSecret: 's', tier: null, nextTier: null, expiringSoon: null } };

it('sends the SHA-256 of the document in extensions.persistedQuery and not the text', async () => {
  signIn();
  api.on('Me', me);
  await expect(request(MeDocument, {})).resolves.toEqual(me);
  const [call] = api.callsOf('Me');
  expect(call?.extensions).toEqual({ persistedQuery: { version: 1, sha256Hash: MeDocument.sha256 } });
  expect(MeDocument.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(call?.query).toBeUndefined();
  expect(call?.headers.authorization).toMatch(/^Bearer /);
});

it('an API that does not know the hash gets the text once, with the same hash', async () => {
  signIn();
  api.forgetHashes();
  api.on('Me', me);
  await expect(request(MeDocument, {})).resolves.toEqual(me);
  const calls = api.callsOf('Me');
  expect(calls.map((c) => [c.query ?? null, c.extensions?.persistedQuery?.sha256Hash])).toEqual([
    [null, MeDocument.sha256],
    [MeDocument.query, MeDocument.sha256],
  ]);
});
