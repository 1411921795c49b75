import { Tabs } from 'antd';
import { ReferralReport } from './ReferralReport';
import { ReferralSettings } from './ReferralSettings';

/** 邀请有礼 (F8): the programme settings and the per-store report. */
export default function ReferralsSection() {
  return (
    <Tabs
      items={[
        { key: 'report', label: '邀请报表', children: <ReferralReport /> },
        { key: 'settings', label: '方案设置', children: <ReferralSettings /> },
      ]}
    />
  );
}
