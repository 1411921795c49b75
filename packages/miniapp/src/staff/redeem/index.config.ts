export default definePageConfig({
  navigationBarTitleText: '扣减积分',
});
