import { act, useState } from 'react';
import Taro from '@tarojs/taro';
import { Current } from '@tarojs/runtime';
import { PageShell } from '../src/components/page-shell';
import NotFoundPage from '../src/pages/not-found';
import AnnouncePage from '../src/organizer/announce';
import EventEditPage from '../src/organizer/event-edit';
import { NOT_FOUND_PAGE, redirectUnknownRoutes } from '../src/utils/not-found';
import { $, click, mount, openWith, resetAll, signIn, text } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

/** As Taro's H5 router does: the page instance carries its index.config.ts. */
function openPage(title: string) {
  Current.page = { config: { navigationBarTitleText: title } } as unknown as typeof Current.page;
}

let navigateBack: jest.SpyInstance;
let reLaunch: jest.SpyInstance;
beforeEach(() => {
  navigateBack = jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'navigateBack:ok' } as never);
  reLaunch = jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' } as never);
});
afterEach(() => {
  jest.restoreAllMocks();
  Current.page = null;
  resetAll();
});

describe('H5 header of pages below the tabs', () => {
  it("shows the page's declared title and goes back one page", async () => {
    openPage('会员等级');
    jest.spyOn(Taro, 'getCurrentPages').mockReturnValue([{}, {}] as never);
    await mount(() => <PageShell state={{ data: 1, error: null, loading: false }}>{() => 'content'}</PageShell>);
    expect($('.page-header__title').textContent).toBe('会员等级');
    expect($('.page-header__back').getAttribute('aria-label')).toBe('返回');
    await click($('.page-header__back'));
    expect(navigateBack).toHaveBeenCalledTimes(1);
    expect(reLaunch).not.toHaveBeenCalled();
  });

  it('a page opened directly (nothing to go back to) goes to the card', async () => {
    openPage('兑换详情');
    jest.spyOn(Taro, 'getCurrentPages').mockReturnValue([{}] as never);
    await mount(() => <PageShell state={{ data: 1, error: null, loading: false }}>{() => 'content'}</PageShell>);
    await click($('.page-header__back'));
    expect(reLaunch).toHaveBeenCalledWith({ url: '/pages/card/index' });
    expect(navigateBack).not.toHaveBeenCalled();
  });

  it('keeps the title it was opened with when it re-renders under another page', async () => {
    openPage('我的订单');
    let bump: (n: number) => void = () => undefined;
    function Page() {
      const [n, setN] = useState(0);
      bump = setN;
      return <PageShell state={{ data: n, error: null, loading: false }}>{(d) => `render ${d}`}</PageShell>;
    }
    await mount(Page);
    openPage('付款'); // another page is now current (pushed on top)
    await act(async () => bump(1));
    expect(text()).toContain('render 1');
    expect($('.page-header__title').textContent).toBe('我的订单');
  });

  it.each([
    ['发布公告', AnnouncePage, { clubId: '1' }],
    ['编辑活动', EventEditPage, { clubId: '1' }],
  ] as const)('the form page %s (it loads nothing first) has the header too', async (title, Page, params) => {
    openPage(title);
    signIn();
    openWith(params);
    await mount(Page);
    expect($('.page-header__title').textContent).toBe(title);
    expect(document.querySelector('.page-header__back')).not.toBeNull();
  });

  it("a page's own controls (tabs, filters) come under the header, in every state", async () => {
    openPage('积分商城');
    await mount(() => (
      <PageShell above={<span className='my-tabs'>话费充值</span>} state={{ data: null, error: null, loading: true }}>
        {() => 'content'}
      </PageShell>
    ));
    const header = $('.page-header');
    const tabs = $('.my-tabs');
    expect(header.compareDocumentPosition(tabs) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(text()).toContain('加载中');
  });

  it('tab pages have no header (the tab bar is their navigation)', async () => {
    openPage('会员卡');
    await mount(() => <PageShell tab='card' state={{ data: 1, error: null, loading: false }}>{() => 'content'}</PageShell>);
    expect(document.querySelector('.page-header')).toBeNull();
    expect(text()).toContain('content');
  });
});

describe('页面不存在', () => {
  it('an unknown route is sent to the not-found page instead of keeping the previous one', async () => {
    const redirectTo = jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' } as never);
    redirectUnknownRoutes();
    Taro.eventCenter.trigger('__taroRouterNotFound', { isEntryPage: false, path: '/pages/nope/index', query: {} });
    expect(redirectTo).toHaveBeenCalledWith({ url: NOT_FOUND_PAGE });
  });

  it('says so, with a title, and offers a way back', async () => {
    openPage('页面不存在');
    jest.spyOn(Taro, 'getCurrentPages').mockReturnValue([{}] as never);
    await mount(NotFoundPage);
    expect($('.page-header__title').textContent).toBe('页面不存在');
    expect(text()).toContain('链接可能已失效或输入有误');
    await click('返回');
    expect(reLaunch).toHaveBeenCalledWith({ url: '/pages/card/index' });
  });
});
