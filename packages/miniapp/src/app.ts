import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { silentLogin } from './state/auth';
import './app.css';

/** The app root: on weapp, signs in silently at launch (wx.login needs no tap); H5 uses the sign-in page. */
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    void silentLogin();
  });
  return children;
}

export default App;
