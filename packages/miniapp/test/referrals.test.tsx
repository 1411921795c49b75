import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import InvitePage from '../src/member/invite';
import ReferralsPage from '../src/member/referrals';
import LoginPage from '../src/pages/login';
import { inviteFrom } from '../src/state/referrals';
import { session } from '../src/state/session';
import { $, api, click, fail, mount, MEMBER_VIEWER, openWith, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

const TOKEN = '7K3M9QXH2B';
const CODE = 'data:image/png;base64,iVBORw0KGgo=';
const invitation = (over: Record<string, unknown> = {}) => ({
  myInvitation: { token: TOKEN, path: `/pages/login/index?invite=${TOKEN}`, page: 'pages/login/index', scene: TOKEN, codeDataUrl: CODE, referees: 3, qualified: 2, pointsEarned: 1024, ...over },
});
const loginPayload = (referral: Record<string, unknown> | null) => ({
  login: { token: 'jwt-1', viewer: MEMBER_VIEWER, member: { id: '1', memberNo: '10000042', points: 50 }, referral },
});

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('inviteFrom', () => {
  it.each<[Record<string, string> | undefined, string | null]>([
    [{ invite: TOKEN }, TOKEN],
    [{ invite: TOKEN.toLowerCase() }, TOKEN],
    [{ scene: encodeURIComponent(TOKEN) }, TOKEN], // a mini-program code's scene
    [{ invite: 'short' }, null],
    [{ scene: '%E0%A4%A' }, null], // not decodable, not a token
    [{}, null],
    [undefined, null],
  ])('%p → %p', (params, token) => {
    expect(inviteFrom(params)).toBe(token);
  });
});

describe('invitation page', () => {
  it('asks to sign in when signed out', async () => {
    await mount(InvitePage);
    expect(text()).toContain('登录后邀请好友');
  });

  it('shows the code, the token, a share button and the counts', async () => {
    signIn();
    api.on('MyInvitation', invitation());
    await mount(InvitePage);
    await waitForText(`邀请码 ${TOKEN}`);
    expect($('.invite__code').getAttribute('src')).toBe(CODE);
    expect($('.invite__share').textContent).toContain('分享给好友');
    expect(text()).toMatch(/3\s*已邀请/);
    expect(text()).toMatch(/1024\s*获得积分/);
  });

  it('still offers the share card when WeChat made no code', async () => {
    signIn();
    api.on('MyInvitation', invitation({ codeDataUrl: null }));
    await mount(InvitePage);
    await waitForText('小程序码暂时无法生成，请直接分享给好友');
    expect(text()).toContain('分享给好友');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('MyInvitation', fail('WECHAT_UNAVAILABLE'));
    await mount(InvitePage);
    await waitForText(errorMessageZh.WECHAT_UNAVAILABLE);
  });
});

describe('my referrals page', () => {
  it('lists the friends, masked, with their state and the points earned from each', async () => {
    signIn();
    api.on('MyReferrals', {
      myReferrals: [
        { id: '2', referee: '王**', state: 'QUALIFIED', boundAt: '2026-11-20T02:00:00.000Z', qualifiedAt: '2026-11-21T02:00:00.000Z', pointsEarned: 512 },
        { id: '1', referee: '会员****7890', state: 'BOUND', boundAt: '2026-11-19T02:00:00.000Z', qualifiedAt: null, pointsEarned: 0 },
      ],
    });
    await mount(ReferralsPage);
    await waitForText('王**');
    expect(text()).toContain('已消费');
    expect(text()).toContain('+512 积分');
    expect(text()).toContain('会员****7890');
    expect(text()).toContain('已注册');
  });

  it('invites when there is nobody yet', async () => {
    signIn();
    api.on('MyReferrals', { myReferrals: [] });
    await mount(ReferralsPage);
    await waitForText('还没有邀请好友');
  });
});

describe('sign-in through an invitation', () => {
  it('passes the invite from the page params to login and says the invitation was accepted', async () => {
    jest.spyOn(Taro, 'login').mockResolvedValue({ code: 'js-code-9', errMsg: 'login:ok' });
    jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'switchTab:ok' }) as never);
    const toast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    const seen: unknown[] = [];
    api.on('Login', (v: { code: string; invite?: string }) => {
      seen.push(v);
      return loginPayload({ bound: true, refusal: null, welcomePoints: 50 });
    });
    openWith({ invite: TOKEN });
    await mount(LoginPage);
    expect(text()).toContain('好友邀请你加入圈子会员');
    await click('微信一键登录');
    expect(seen).toEqual([{ code: 'js-code-9', invite: TOKEN }]);
    expect(session.get().token).toBe('jwt-1');
    expect(toast).toHaveBeenCalledWith({ title: '已接受好友邀请', icon: 'success' });
  });

  it('signs in anyway when the invitation is refused, and says why', async () => {
    jest.spyOn(Taro, 'login').mockResolvedValue({ code: 'js-code-10', errMsg: 'login:ok' });
    jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'switchTab:ok' }) as never);
    const toast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    api.on('Login', loginPayload({ bound: false, refusal: 'REFERRAL_SELF', welcomePoints: 0 }));
    openWith({ scene: TOKEN });
    await mount(LoginPage);
    await click('微信一键登录');
    expect(session.get().token).toBe('jwt-1');
    expect(toast).toHaveBeenCalledWith({ title: errorMessageZh.REFERRAL_SELF, icon: 'none' });
  });

  it('without an invitation, login carries none', async () => {
    jest.spyOn(Taro, 'login').mockResolvedValue({ code: 'js-code-11', errMsg: 'login:ok' });
    jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'switchTab:ok' }) as never);
    const seen: unknown[] = [];
    api.on('Login', (v: unknown) => {
      seen.push(v);
      return loginPayload(null);
    });
    await mount(LoginPage);
    expect(text()).not.toContain('好友邀请你加入圈子会员');
    await click('微信一键登录');
    expect(seen).toEqual([{ code: 'js-code-11' }]);
  });
});
