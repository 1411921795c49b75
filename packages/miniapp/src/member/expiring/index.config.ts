export default definePageConfig({
  navigationBarTitleText: '即将过期的积分',
  enablePullDownRefresh: true,
});
