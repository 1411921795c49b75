import { RoleTabBar } from '../components/tab-bar';

/** weapp's custom tab bar (app.config `tabBar.custom`): one instance per tab page, all reading the same stores. */
export default function CustomTabBar() {
  return <RoleTabBar />;
}
