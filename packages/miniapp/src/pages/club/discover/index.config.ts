export default definePageConfig({
  navigationBarTitleText: '发现圈子',
  enablePullDownRefresh: true,
});
