import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { silentLogin } from './state/auth';
import { installPrivacyHandler } from './utils/privacy';
import './app.css';

/**
 * The app root: on weapp, registers the privacy-agreement listener (wx.onNeedPrivacyAuthorization → the consent
 * sheet) and signs in silently at launch (wx.login needs no tap); H5 uses the sign-in page and has no privacy flow.
 */
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    installPrivacyHandler();
    void silentLogin();
  });
  return children;
}

export default App;
