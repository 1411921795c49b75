export default definePageConfig({
  navigationBarTitleText: '礼品详情',
});
