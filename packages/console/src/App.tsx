import { lazy, Suspense, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, ConfigProvider, Layout, Menu, Space, Spin, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { request, errorZh } from './api/client';
import { clearSession, currentSession, onSessionChange, type Session } from './api/session';
import { ManagerScopeDocument } from './graphql/generated';
import { LoginPage } from './LoginPage';
import { ScopeContext, scopeLabel, type Scope } from './scope';

// One chunk per section: the sign-in page and the shell load first, a section when it is opened.
const OrgSection = lazy(() => import('./sections/OrgSection'));
const ProgramSection = lazy(() => import('./sections/ProgramSection'));
const RewardsSection = lazy(() => import('./sections/RewardsSection'));
const AuditSection = lazy(() => import('./sections/AuditSection'));
const MembersSection = lazy(() => import('./sections/MembersSection'));
const CouponsSection = lazy(() => import('./sections/coupons/CouponsSection'));
const PaymentsSection = lazy(() => import('./sections/payments/PaymentsSection'));
const ClubsSection = lazy(() => import('./sections/clubs/ClubsSection'));
const DashboardSection = lazy(() => import('./sections/DashboardSection'));
const RatingsSection = lazy(() => import('./sections/RatingsSection'));
const ReferralsSection = lazy(() => import('./sections/referrals/ReferralsSection'));
const CampaignsSection = lazy(() => import('./sections/campaigns/CampaignsSection'));

const SECTIONS = [
  { key: 'org', label: '组织架构', Component: OrgSection },
  { key: 'program', label: '积分方案', Component: ProgramSection },
  { key: 'rewards', label: '礼品目录', Component: RewardsSection },
  { key: 'members', label: '会员', Component: MembersSection },
  { key: 'coupons', label: '优惠券', Component: CouponsSection },
  { key: 'payments', label: '支付与退款', Component: PaymentsSection },
  { key: 'clubs', label: '圈子', Component: ClubsSection },
  { key: 'audit', label: '审计日志', Component: AuditSection },
  { key: 'dashboard', label: '数据看板', Component: DashboardSection },
  { key: 'ratings', label: '服务评价', Component: RatingsSection },
  { key: 'referrals', label: '邀请有礼', Component: ReferralsSection },
  { key: 'campaigns', label: '精准营销', Component: CampaignsSection },
] as const;
type SectionKey = (typeof SECTIONS)[number]['key'];

const sectionFromHash = (): SectionKey => {
  const k = window.location.hash.replace(/^#\/?/, '');
  return (SECTIONS.find((s) => s.key === k)?.key ?? 'org') as SectionKey;
};

function Console({ session }: { session: Session }) {
  const [scope, setScope] = useState<Scope | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [section, setSection] = useState<SectionKey>(sectionFromHash);
  useEffect(() => {
    request(ManagerScopeDocument, {})
      .then((d) => setScope(d.managerScope))
      .catch((e) => setError(errorZh(e)));
  }, [session.token]);
  useEffect(() => {
    const h = () => setSection(sectionFromHash());
    window.addEventListener('hashchange', h);
    return () => window.removeEventListener('hashchange', h);
  }, []);
  const Current = SECTIONS.find((s) => s.key === section)?.Component ?? OrgSection;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
          圈子 · 管理后台
        </Typography.Text>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[section]}
          style={{ flex: 1, minWidth: 0 }}
          items={SECTIONS.map((s) => ({ key: s.key, label: s.label }))}
          onClick={(e) => (window.location.hash = `/${e.key}`)}
        />
        <Space>
          {scope && <Typography.Text style={{ color: '#fff' }} data-testid="scope-label">{scopeLabel(scope)}</Typography.Text>}
          <Button size="small" onClick={clearSession}>
            退出登录
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        {error && <Alert type="error" title={error} showIcon />}
        {!scope && !error && <Spin />}
        {scope && (
          <ScopeContext.Provider value={scope}>
            <Suspense fallback={<Spin />}>
              <Current />
            </Suspense>
          </ScopeContext.Provider>
        )}
      </Layout.Content>
    </Layout>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(currentSession);
  useEffect(() => onSessionChange(setSession), []);
  // Sessions expire: sign out when the token's time is up, even without a request.
  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    const t = setTimeout(clearSession, Math.max(0, Math.min(ms, 2_147_000_000)));
    return () => clearTimeout(t);
  }, [session]);
  return (
    <ConfigProvider locale={zhCN}>
      <AntApp>{session ? <Console session={session} /> : <LoginPage />}</AntApp>
    </ConfigProvider>
  );
}
