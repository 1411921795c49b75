import Taro from '@tarojs/taro';
import { act } from 'react';
import { errorMessageZh } from '@quanzi/shared';
import ClubEditPage, { validateClubForm } from '../src/organizer/club-edit';
import ClubPage from '../src/pages/club';
import DiscoverPage from '../src/pages/club/discover';
import type { Viewer } from '../src/state/session';
import { clubDetail, clubSummary, GOLD, managerViewer, ORGANIZER_MEMBERSHIP } from './club-fixtures';
import { $, api, click, fail, flush, mount, openWith, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

const organizerViewer: Viewer = { userId: '5', roles: [{ role: 'ORGANIZER', scope: 'STORE', storeId: '11', regionId: null }], staffStores: [] };

const TIERS = {
  tiers: [
    { id: 't3', code: 'PLATINUM', name: '白金卡', rank: 3, thresholdFen: 3_000_000, multiplierPct: 200 },
    { id: 't1', code: 'REGULAR', name: '普通卡', rank: 0, thresholdFen: 0, multiplierPct: 100 },
    { id: 't2', code: 'SILVER', name: '银卡', rank: 1, thresholdFen: 100_000, multiplierPct: 120 },
    { id: 't4', code: 'GOLD', name: '金卡', rank: 2, thresholdFen: 1_000_000, multiplierPct: 150 },
  ],
};

const edited = (patch: Parameters<typeof clubSummary>[0] = {}, inviteCode: string | null = null) => ({ ...clubSummary(patch), inviteCode });

/** Chooses option `index` in the n-th Taro <Picker> (it fires `change` with the index). */
async function pick(n: number, index: number): Promise<void> {
  const picker = document.body.querySelectorAll('taro-picker-core')[n] as HTMLElement;
  if (!picker) throw new Error(`no picker #${n}; page shows:\n${text()}`);
  await act(async () => {
    picker.dispatchEvent(new CustomEvent('change', { detail: { value: index } }));
  });
  await flush();
}

/** Types into a Taro <Textarea> (its inner <textarea>, rendered on an animation frame). */
async function typeArea(className: string, value: string): Promise<void> {
  let el: HTMLTextAreaElement | null = null;
  for (let i = 0; i < 100 && !el; i++) {
    el = $(`.${className}`).querySelector('textarea');
    if (!el) await act(() => new Promise<void>((r) => requestAnimationFrame(() => r())));
  }
  if (!el) throw new Error(`no <textarea> inside .${className}`);
  const target = el;
  await act(async () => {
    target.value = value;
    target.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await flush();
}

function mockNav() {
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
  return jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' } as never);
}

async function fillCreate() {
  await type('club-edit__name', '  晨跑团 ');
  await type('club-edit__theme', '跑步');
  await typeArea('club-edit__description', '每周六早上七点');
}

describe('organizer: club form validation', () => {
  const base = { name: '晨跑团', theme: '跑步', description: '', joinPolicy: 'OPEN' as const, minTierCode: '', memberCap: '', coverUrl: '' };

  it('accepts a minimal club and normalizes the optional fields', () => {
    expect(validateClubForm(base)).toEqual({
      ok: true,
      input: { name: '晨跑团', theme: '跑步', description: '', joinPolicy: 'OPEN', minTierCode: null, memberCap: null, coverUrl: null },
    });
    // The tier only goes with TIER_MIN.
    expect(validateClubForm({ ...base, minTierCode: 'GOLD' })).toMatchObject({ ok: true, input: { minTierCode: null } });
  });

  it('names the first problem in Chinese', () => {
    const problem = (patch: Partial<typeof base> | Record<string, string>, members = 0) => {
      const r = validateClubForm({ ...base, ...patch } as typeof base, members);
      return r.ok ? null : r.problem;
    };
    expect(problem({ name: '  ' })).toBe('请填写圈子名称');
    expect(problem({ name: '名'.repeat(41) })).toBe('名称不能超过 40 个字');
    expect(problem({ theme: '' })).toBe('请填写圈子主题');
    expect(problem({ theme: '题'.repeat(33) })).toBe('主题不能超过 32 个字');
    expect(problem({ description: '字'.repeat(1001) })).toBe('简介不能超过 1000 个字');
    expect(problem({ joinPolicy: 'TIER_MIN' })).toBe('请选择最低等级');
    expect(problem({ memberCap: '0' })).toMatch(/^人数上限应为 1–100000 的整数/);
    expect(problem({ memberCap: '2.5' })).toMatch(/^人数上限应为/);
    expect(problem({ memberCap: '10' }, 12)).toBe('人数上限不能少于现有的 12 名成员');
    expect(problem({ coverUrl: 'http://x.cn/a.png' })).toBe('封面图链接应以 https:// 或 cloud:// 开头');
    expect(problem({ coverUrl: 'https://x.cn/a.png', memberCap: '12' }, 12)).toBeNull();
  });
});

describe('organizer: create a club', () => {
  it('validates in Chinese before calling the API', async () => {
    signIn(organizerViewer);
    openWith({});
    api.on('Tiers', TIERS);
    await mount(ClubEditPage);
    await waitForText('创建圈子');
    for (const label of ['名称', '主题', '简介', '加入方式', '人数上限', '封面图链接']) expect(text()).toContain(label);
    await click($('.club-actions .nut-button'));
    await waitForText('请填写圈子名称');
    await fillCreate();
    await pick(0, 2); // 等级准入
    await waitForText('最低等级');
    await click($('.club-actions .nut-button'));
    await waitForText('请选择最低等级');
    await type('club-edit__memberCap', '-3');
    await pick(1, 0);
    await click($('.club-actions .nut-button'));
    await waitForText('人数上限应为');
    expect(api.callsOf('CreateClub')).toHaveLength(0);
  });

  it('creates a TIER_MIN club in the organizer’s store, then opens it', async () => {
    signIn(organizerViewer);
    openWith({});
    const redirectTo = mockNav();
    api.on('Tiers', TIERS);
    api.on('CreateClub', { createClub: edited({ id: '42', joinPolicy: 'TIER_MIN', minTier: GOLD }) });
    await mount(ClubEditPage);
    await fillCreate();
    await pick(0, 2);
    await waitForText('选择等级');
    await pick(1, 2); // by rank: 普通卡, 银卡, 金卡, 白金卡
    await waitForText('金卡及以上');
    await type('club-edit__memberCap', '50');
    await type('club-edit__coverUrl', 'https://img.example.cn/run.png');
    await click($('.club-actions .nut-button'));
    await flush();
    expect(api.callsOf('CreateClub')[0]?.variables).toEqual({
      input: {
        name: '晨跑团',
        theme: '跑步',
        description: '每周六早上七点',
        joinPolicy: 'TIER_MIN',
        minTierCode: 'GOLD',
        memberCap: 50,
        coverUrl: 'https://img.example.cn/run.png',
        storeId: '11',
      },
    });
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/club/index?id=42' });
  });

  it('shows CONTENT_REJECTED in Chinese and stays on the form', async () => {
    signIn(organizerViewer);
    openWith({});
    const redirectTo = mockNav();
    api.on('Tiers', TIERS);
    api.on('CreateClub', fail('CONTENT_REJECTED'));
    await mount(ClubEditPage);
    await fillCreate();
    await click($('.club-actions .nut-button'));
    await waitForText(errorMessageZh.CONTENT_REJECTED);
    expect(text()).toContain('内容未通过安全审核');
    expect(redirectTo).not.toHaveBeenCalled();
  });

  it('shows FORBIDDEN in Chinese (an organisation-wide club for a manager without HQ scope)', async () => {
    signIn({ ...managerViewer, roles: [{ role: 'MANAGER', scope: 'REGION', storeId: null, regionId: '3' }] });
    openWith({});
    api.on('Tiers', TIERS);
    api.on('CreateClub', fail('FORBIDDEN'));
    await mount(ClubEditPage);
    await fillCreate();
    await click($('.club-actions .nut-button'));
    await waitForText(errorMessageZh.FORBIDDEN);
    expect(api.callsOf('CreateClub')[0]?.variables).toMatchObject({ input: { storeId: null, joinPolicy: 'OPEN' } });
  });
});

describe('organizer: edit a club', () => {
  it('prefills the form and saves the changes', async () => {
    signIn();
    openWith({ id: '1' });
    const redirectTo = mockNav();
    api.on('Tiers', TIERS);
    api.on('Club', clubDetail({ joinPolicy: 'TIER_MIN', minTier: GOLD, memberCap: 30, coverUrl: 'https://img.example.cn/c.png', myMembership: ORGANIZER_MEMBERSHIP }));
    api.on('UpdateClub', { updateClub: edited({ name: '国贸咖啡社' }) });
    await mount(ClubEditPage);
    await waitForText('编辑圈子');
    expect(api.callsOf('Club')[0]?.variables).toEqual({ id: '1' });
    expect(($('.club-edit__name').querySelector('input') ?? ($('.club-edit__name') as HTMLInputElement)).value).toBe('国贸咖啡俱乐部');
    expect(text()).toContain('等级准入');
    await waitForText('金卡及以上');
    expect(text()).not.toContain('重置邀请码');
    await type('club-edit__name', '国贸咖啡社');
    await type('club-edit__memberCap', '');
    await click('保存修改');
    await flush();
    expect(api.callsOf('UpdateClub')[0]?.variables).toEqual({
      id: '1',
      input: {
        name: '国贸咖啡社',
        theme: '咖啡',
        description: '每周一起品鉴咖啡',
        joinPolicy: 'TIER_MIN',
        minTierCode: 'GOLD',
        memberCap: null,
        coverUrl: 'https://img.example.cn/c.png',
      },
    });
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/club/index?id=1' });
  });

  it('checks the cap against the current members and shows FORBIDDEN', async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Tiers', TIERS);
    api.on('Club', clubDetail());
    api.on('UpdateClub', fail('FORBIDDEN'));
    await mount(ClubEditPage);
    await waitForText('保存修改');
    await type('club-edit__memberCap', '5');
    await click('保存修改');
    await waitForText('人数上限不能少于现有的 12 名成员');
    expect(api.callsOf('UpdateClub')).toHaveLength(0);
    await type('club-edit__memberCap', '20');
    await click('保存修改');
    await waitForText(errorMessageZh.FORBIDDEN);
  });

  it('shows the invitation code of an INVITE club and resets it', async () => {
    signIn();
    openWith({ id: '1' });
    const modal = jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' } as never);
    jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    api.on('Tiers', TIERS);
    api.on('Club', clubDetail({ joinPolicy: 'INVITE', inviteCode: 'K7Q2', myMembership: ORGANIZER_MEMBERSHIP }));
    api.on('ResetClubInviteCode', { resetClubInviteCode: { id: '1', inviteCode: 'Z9X8' } });
    await mount(ClubEditPage);
    await waitForText('K7Q2');
    await click('重置邀请码');
    await waitForText('Z9X8');
    expect(modal).toHaveBeenCalled();
    expect(api.callsOf('ResetClubInviteCode')[0]?.variables).toEqual({ clubId: '1' });
    expect(text()).not.toContain('K7Q2');
  });

  it('keeps the code when the reset is cancelled, and shows a failed reset in Chinese', async () => {
    signIn();
    openWith({ id: '1' });
    const modal = jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' } as never);
    api.on('Tiers', TIERS);
    api.on('Club', clubDetail({ joinPolicy: 'INVITE', inviteCode: 'K7Q2', myMembership: ORGANIZER_MEMBERSHIP }));
    api.on('ResetClubInviteCode', fail('FORBIDDEN'));
    await mount(ClubEditPage);
    await waitForText('K7Q2');
    await click('重置邀请码');
    expect(api.callsOf('ResetClubInviteCode')).toHaveLength(0);
    modal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' } as never);
    await click('重置邀请码');
    await waitForText(errorMessageZh.FORBIDDEN);
    expect(text()).toContain('K7Q2');
  });

  it('asks to sign in when signed out', async () => {
    openWith({ id: '1' });
    await mount(ClubEditPage);
    expect(text()).toContain('登录后编辑圈子');
  });
});

describe('organizer: club entry points', () => {
  it('links 编辑圈子 from the club page for organizers', async () => {
    signIn();
    openWith({ id: '1' });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('Club', clubDetail({ myMembership: ORGANIZER_MEMBERSHIP }));
    await mount(ClubPage);
    await waitForText('组织者工具');
    await click('编辑圈子');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/organizer/club-edit/index?id=1' });
  });

  it('shows 创建圈子 on the discover page only to organizers and managers', async () => {
    signIn();
    api.on('Clubs', { clubs: [clubSummary()] });
    api.on('Me', fail('NOT_FOUND'));
    await mount(DiscoverPage);
    await waitForText('国贸咖啡俱乐部');
    expect(text()).not.toContain('创建圈子');
    resetAll();
    signIn(organizerViewer);
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('Clubs', { clubs: [clubSummary()] });
    api.on('Me', fail('NOT_FOUND'));
    await mount(DiscoverPage);
    await waitForText('国贸咖啡俱乐部');
    await click('+ 创建圈子');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/organizer/club-edit/index' });
  });
});
