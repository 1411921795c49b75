import { useEffect, useState } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { useStore } from '../../state/store';
import {
  AGREE_BUTTON_ID,
  agreePrivacy,
  declinePrivacy,
  openPrivacyContract,
  privacyRequest,
  reportPrivacyExposure,
} from '../../utils/privacy';
import './index.css';

/** What the app collects through WeChat's privacy APIs, and why (keep in step with the 用户隐私保护指引 in the admin). */
export const PRIVACY_USES: readonly { data: string; why: string }[] = [
  { data: '手机号', why: '绑定会员身份，接收积分到账、过期与兑换结果提醒，话费充值默认到账号码' },
  { data: '摄像头（扫码）', why: '店员扫描会员码、券码和签到码；会员扫描收款码付款' },
];

/**
 * The privacy consent sheet (weapp): shown on the current page while WeChat holds a privacy API until the user
 * agrees (see utils/privacy.ts). 同意 is WeChat's agreePrivacyAuthorization button — its event, not a plain tap,
 * releases the held call; 拒绝 makes it fail. Rendered by PageShell, only while its page is shown (one sheet, one
 * agree-button id on screen). Never shows on H5.
 */
export function PrivacySheet() {
  const request = useStore(privacyRequest);
  const [onScreen, setOnScreen] = useState(true);
  useDidShow(() => setOnScreen(true));
  useDidHide(() => setOnScreen(false));

  const visible = request !== null && onScreen;
  useEffect(() => {
    if (visible) reportPrivacyExposure();
  }, [visible, request]);

  if (!visible) return null;
  return (
    <View className='privacy-sheet' catchMove>
      <View className='privacy-sheet__mask' />
      <View className='privacy-sheet__panel' role='dialog' aria-label='用户隐私保护提示'>
        <Text className='privacy-sheet__title'>用户隐私保护提示</Text>
        <View className='privacy-sheet__lead'>
          <Text>{`${request.purpose}需要使用你的个人信息。请在使用前阅读`}</Text>
          <Text className='privacy-sheet__link' onClick={openPrivacyContract}>
            {request.contractName}
          </Text>
          <Text>，同意后方可继续。</Text>
        </View>
        <View className='privacy-sheet__uses'>
          {PRIVACY_USES.map((u) => (
            <View key={u.data} className='privacy-sheet__use'>
              <Text className='privacy-sheet__data'>{u.data}</Text>
              <Text className='privacy-sheet__why'>{u.why}</Text>
            </View>
          ))}
        </View>
        <Text className='privacy-sheet__note'>拒绝后不影响浏览，但无法使用上述功能；你可以下次使用时再同意。</Text>
        <View className='privacy-sheet__actions'>
          <Button className='privacy-sheet__decline' onClick={declinePrivacy}>
            拒绝
          </Button>
          <Button
            id={AGREE_BUTTON_ID}
            className='privacy-sheet__agree'
            openType='agreePrivacyAuthorization'
            onAgreePrivacyAuthorization={agreePrivacy}
          >
            同意并继续
          </Button>
        </View>
      </View>
    </View>
  );
}
