/**
 * Pages: the four tab pages and sign-in live in the main package (needed at launch); the rest are subpackages
 * that load on first use. The tab bar is custom (src/custom-tab-bar on weapp, rendered by PageShell on H5) so it
 * can show the till tab only to staff.
 */
export default defineAppConfig({
  pages: ['pages/card/index', 'pages/points/index', 'pages/till/index', 'pages/profile/index', 'pages/login/index', 'pages/not-found/index'],
  subPackages: [
    { root: 'member', pages: ['expiring/index', 'tier/index', 'pay/index', 'pay-result/index', 'orders/index', 'rate/index', 'invite/index', 'referrals/index', 'inbox/index'] },
    { root: 'staff', pages: ['purchase/index', 'redeem/index', 'operations/index', 'collect/index', 'voucher/index', 'reward/index', 'console-login/index'] },
    // Clubs and events (F7). The roots are pages/club and pages/event so the notification links
    // (pages/club/index?id=…, pages/event/index?id=…) open these subpackage pages as they are.
    { root: 'pages/club', pages: ['index', 'discover/index'] },
    { root: 'pages/event', pages: ['index', 'mine/index'] },
    { root: 'organizer', pages: ['event-edit/index', 'attendees/index', 'requests/index', 'announce/index', 'club-edit/index'] },
    // Rewards (F6): the points mall, redeeming, my redemptions. The redemption page's root is pages/redemption so the
    // REWARD_RESULT subscribe message's link (pages/redemption/index?id=…) opens it as it is.
    { root: 'rewards', pages: ['mall/index', 'detail/index', 'mine/index', 'coupons/index'] },
    { root: 'pages/redemption', pages: ['index'] },
    // Managers (F11): low service ratings to follow up (the RATING_LOW notice links manager/ratings/index?id=…); the
    // compact 经营看板 (KPIs and the lifecycle trend; its chart library, AntV F2, is in this subpackage only).
    { root: 'manager', pages: ['ratings/index', 'dashboard/index'] },
  ],
  preloadRule: {
    'pages/card/index': { network: 'all', packages: ['member', 'pages/club'] },
    'pages/till/index': { network: 'all', packages: ['staff'] },
  },
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '圈子会员',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
  },
  tabBar: {
    custom: true,
    color: '#7a7e83',
    selectedColor: '#c8102e',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/card/index', text: '会员卡' },
      { pagePath: 'pages/points/index', text: '积分' },
      { pagePath: 'pages/till/index', text: '收银台' },
      { pagePath: 'pages/profile/index', text: '我的' },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
  // WeChat review: privacy APIs (the getPhoneNumber button, wx.scanCode) wait for the user's agreement to the
  // 用户隐私保护指引; app.ts registers wx.onNeedPrivacyAuthorization, components/privacy-sheet asks.
  __usePrivacyCheck__: true,
  // Search indexing rules (src/sitemap.json, copied to dist/weapp by config/index.ts).
  sitemapLocation: 'sitemap.json',
  // No location API is used today, so neither `requiredPrivateInfos` nor `permission` is declared (WeChat rejects
  // unused declarations). Adding wx.getLocation (analytics/targeting) needs requiredPrivateInfos: ['getLocation']
  // and permission: { 'scope.userLocation': { desc: '…' } } here — test/app-config.test.ts checks both.
});
