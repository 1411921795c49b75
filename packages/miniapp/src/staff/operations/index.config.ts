export default definePageConfig({
  navigationBarTitleText: '最近操作',
  enablePullDownRefresh: true,
});
