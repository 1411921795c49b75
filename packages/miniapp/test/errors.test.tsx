import { ErrorCode, errorMessageZh } from '@quanzi/shared';
import { MeDocument } from '@quanzi/shared/graphql';
import { request } from '../src/api/client';
import { apiError, isApiError, messageFor } from '../src/api/errors';
import CardPage from '../src/pages/card';
import { session } from '../src/state/session';
import { api, fail, mount, OFFLINE, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

const CJK = /[\u4e00-\u9fff]/;
const codes = Object.values(ErrorCode);

describe('error codes → Chinese messages', () => {
  it.each(codes)('%s has a Chinese message from shared errorMessageZh', (code) => {
    expect(messageFor(code)).toBe(errorMessageZh[code]);
    expect(messageFor(code)).toMatch(CJK);
  });

  it.each(codes)('the client turns extensions.code %s into an ApiError with its Chinese message', async (code) => {
    signIn();
    api.on('Me', fail(code, 'English detail from the server'));
    const e = await request(MeDocument, {}).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isApiError(e)).toBe(true);
    expect(e).toMatchObject({ code, message: errorMessageZh[code], detail: 'English detail from the server' });
  });

  it.each(codes.filter((c) => c !== 'UNAUTHENTICATED'))('a page shows %s in Chinese', async (code) => {
    signIn();
    api.on('Me', fail(code));
    await mount(CardPage);
    await waitForText(errorMessageZh[code]);
    expect(text()).not.toContain(code);
  });

  it('UNAUTHENTICATED signs the user out and the page asks to sign in', async () => {
    signIn();
    api.on('Me', fail('UNAUTHENTICATED'));
    await mount(CardPage);
    await waitForText('请先登录');
    expect(session.get().token).toBeNull();
  });

  it('RATE_LIMITED names the wait the API sent (extensions.retryAfterSeconds)', async () => {
    signIn();
    api.on('Me', fail('RATE_LIMITED', 'Too many wrong codes', { retryAfterSeconds: 42 }));
    const e = await request(MeDocument, {}).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'RATE_LIMITED', message: '操作过于频繁，请 42 秒后再试' });
    await mount(CardPage);
    await waitForText('操作过于频繁，请 42 秒后再试');
  });

  it('an unknown code is shown as INTERNAL, never raw', async () => {
    signIn();
    api.on('Me', fail('SOMETHING_NEW'));
    const e = await request(MeDocument, {}).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'INTERNAL', message: errorMessageZh.INTERNAL });
  });

  it('no response at all is a network error in Chinese', async () => {
    signIn();
    api.on('Me', OFFLINE);
    const e = await request(MeDocument, {}).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'NETWORK', message: '网络连接失败，请检查网络后重试' });
  });

  it('a response that is not GraphQL is reported as a bad response', async () => {
    const transport = jest.requireMock('../src/api/transport') as { postJson: jest.Mock | ((...a: unknown[]) => unknown) };
    const original = transport.postJson;
    transport.postJson = async () => ({ status: 502, data: '<html>Bad Gateway</html>' });
    try {
      const e = await request(MeDocument, {}).catch((err: unknown) => err);
      expect(e).toMatchObject({ code: 'BAD_RESPONSE', message: '服务器响应异常，请稍后再试' });
    } finally {
      transport.postJson = original;
    }
  });

  it('apiError of anything unknown is INTERNAL', () => {
    expect(apiError(42).code).toBe('INTERNAL');
  });
});
