export default definePageConfig({
  navigationBarTitleText: '记录消费',
  enablePullDownRefresh: true,
});
