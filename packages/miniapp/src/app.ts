import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { IS_H5 } from './env';
import { silentLogin } from './state/auth';
import { launchInvite } from './state/referrals';
import { installPrivacyHandler } from './utils/privacy';
import { redirectUnknownRoutes } from './utils/not-found';
import './app.css';

/**
 * The app root: on weapp, registers the privacy-agreement listener (wx.onNeedPrivacyAuthorization → the consent
 * sheet) and signs in silently at launch (wx.login needs no tap); H5 uses the sign-in page, has no privacy flow and
 * sends unknown routes to 页面不存在.
 */
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    installPrivacyHandler();
    if (IS_H5) redirectUnknownRoutes();
    // Opened from a friend's share card (?invite=) or mini-program code (scene): sign in through the invitation.
    void silentLogin(IS_H5 ? null : launchInvite());
  });
  return children;
}

export default App;
