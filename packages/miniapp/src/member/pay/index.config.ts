export default definePageConfig({
  navigationBarTitleText: '付款',
  enablePullDownRefresh: true,
});
