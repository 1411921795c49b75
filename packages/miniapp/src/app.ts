import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { IS_H5 } from './env';
import { silentLogin } from './state/auth';
import { redirectUnknownRoutes } from './utils/not-found';
import './app.css';

/**
 * The app root: on weapp, signs in silently at launch (wx.login needs no tap); H5 uses the sign-in page and sends
 * unknown routes to 页面不存在.
 */
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (IS_H5) redirectUnknownRoutes();
    void silentLogin();
  });
  return children;
}

export default App;
