export default definePageConfig({
  navigationBarTitleText: '本店最近操作',
  enablePullDownRefresh: true,
});
