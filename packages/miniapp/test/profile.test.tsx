import { act } from 'react';
import { errorMessageZh } from '@quanzi/shared';
import ProfilePage from '../src/pages/profile';
import { aliceMe, bobMe, carolViewer } from './fixtures';
import { $, api, fail, firePage, flush, mount, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

/** WeChat's getPhoneNumber button answers with a one-time code (or none when the user refuses). */
async function tapGetPhoneNumber(detail: { code?: string; errMsg: string }) {
  const button = $('.profile__bind-button');
  await act(async () => {
    button.dispatchEvent(new CustomEvent('getphonenumber', { detail, bubbles: true }));
  });
  await flush();
}

describe('profile page', () => {
  it('asks to sign in when signed out', async () => {
    await mount(ProfilePage);
    expect(text()).toContain('请先登录');
  });

  it('shows loading', async () => {
    signIn();
    api.on('Me', () => pending());
    await mount(ProfilePage);
    expect(text()).toContain('加载中');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('Me', fail('NOT_FOUND'));
    await mount(ProfilePage);
    await waitForText(errorMessageZh.NOT_FOUND);
  });

  it('shows member number, tier and the masked phone', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('10000042');
    expect(text()).toContain('银卡');
    expect(text()).toContain('138****5678');
    expect(text()).not.toContain('绑定手机号');
    expect(text()).not.toContain('工作身份');
    expect($('.profile__identity').textContent).toBe('会员');
  });

  it('shows an organizer as 组织者, not 会员', async () => {
    signIn({ userId: '5', roles: [{ role: 'ORGANIZER', scope: 'STORE', storeId: '11', regionId: null }], staffStores: [] });
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('工作身份');
    expect($('.profile__identity').textContent).toBe('组织者');
    expect(text()).toContain('门店组织者');
  });

  it('shows staff their roles', async () => {
    signIn(carolViewer);
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('工作身份');
    expect(text()).toContain('门店店员');
    expect($('.profile__identity').textContent).toBe('店员');
    expect(text()).toContain('本店最近操作');
  });

  it('binds the phone with the getPhoneNumber code', async () => {
    signIn();
    let bound = false;
    api.on('Me', () => (bound ? { me: { ...bobMe.me, phone: '139****0000', phoneBound: true } } : bobMe));
    api.on('BindPhone', (v: { code: string }) => {
      bound = v.code === 'phone-code-1';
      return bound ? { bindPhone: { id: '2', phone: '139****0000', phoneBound: true } } : fail('PHONE_CODE_INVALID');
    });
    await mount(ProfilePage);
    await waitForText('未绑定');
    expect(text()).toContain('绑定手机号');
    await tapGetPhoneNumber({ code: 'phone-code-1', errMsg: 'getPhoneNumber:ok' });
    await waitForText('139****0000');
    expect(api.callsOf('BindPhone')[0]?.variables).toEqual({ code: 'phone-code-1' });
  });

  it('shows a Chinese error when the phone code is rejected', async () => {
    signIn();
    api.on('Me', bobMe);
    api.on('BindPhone', fail('PHONE_CODE_INVALID'));
    await mount(ProfilePage);
    await waitForText('未绑定');
    await tapGetPhoneNumber({ code: 'stale', errMsg: 'getPhoneNumber:ok' });
    await waitForText(errorMessageZh.PHONE_CODE_INVALID);
  });

  it('does nothing when the user refuses to share the number', async () => {
    signIn();
    api.on('Me', bobMe);
    await mount(ProfilePage);
    await waitForText('未绑定');
    await tapGetPhoneNumber({ errMsg: 'getPhoneNumber:fail user deny' });
    expect(api.callsOf('BindPhone')).toHaveLength(0);
  });

  it('pull-to-refresh reloads the member', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('10000042');
    await firePage('onPullDownRefresh');
    expect(api.callsOf('Me')).toHaveLength(2);
  });
});
