import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { ErrorNotice, PageShell, StatusView } from '../../components/page-shell';
import { useSession } from '../../state/session';
import { useManagerInventory, useManagerKpis } from '../../state/manager-dashboard';
import { clock } from '../../utils/clock';
import { inventorySeries, kpiTiles, managerScopes, PERIODS, stageRows } from './model';
import { TrendChart } from './trend-chart';
import './index.css';

/**
 * 经营看板 (issue #15 item 8): a store manager's figures on the phone — the KPIs of today / 7 / 30 Beijing days
 * against the period before (`analyticsKpis`), the customer inventory by lifecycle stage over the last 8 weeks as a
 * small trend chart (AntV F2) and the counts now (`customerInventory`), and the way to the low ratings to follow up.
 */
export default function ManagerDashboardPage() {
  const { viewer } = useSession();
  const scopes = managerScopes(viewer);
  const [scopeKey, setScopeKey] = useState<string | null>(null);
  const scope = scopes.find((s) => s.key === scopeKey) ?? scopes[0] ?? null;
  const [days, setDays] = useState<number>(1);
  // The device clock picks the days only; every figure is the API's.
  const [nowMs] = useState(() => clock.ms());
  const kpis = useManagerKpis(scope, days, nowMs);
  const inv = useManagerInventory(scope, nowMs);

  if (viewer && !scope) return <StatusView kind='empty' title='仅限管理人员' description='您没有门店、区域或总部的管理权限' />;
  return (
    <PageShell state={kpis} loginHint='登录后查看经营数据' refetchOnShow>
      {({ analyticsKpis }) => (
        <View className='mgr'>
          {scopes.length > 1 ? (
            <View className='mgr__chips'>
              {scopes.map((s) => (
                <Text key={s.key} className={`mgr__chip ${s.key === scope?.key ? 'mgr__chip--on' : ''}`} onClick={() => setScopeKey(s.key)}>
                  {s.label}
                </Text>
              ))}
            </View>
          ) : (
            <Text className='muted mgr__scope'>{scope?.label}</Text>
          )}
          <View className='mgr__chips'>
            {PERIODS.map((p) => (
              <Text key={p.days} className={`mgr__chip ${p.days === days ? 'mgr__chip--on' : ''}`} onClick={() => setDays(p.days)}>
                {p.label}
              </Text>
            ))}
          </View>
          <View className='mgr__tiles'>
            {kpiTiles(analyticsKpis.current, analyticsKpis.previous).map((t) => (
              <View key={t.key} className='mgr__tile' data-kpi={t.key}>
                <Text className='muted mgr__label'>{t.label}</Text>
                <Text className='mgr__value'>{t.value}</Text>
                <Text className={`mgr__change mgr__change--${t.tone}`}>{`较上期 ${t.change}`}</Text>
              </View>
            ))}
          </View>
          <Text className='muted mgr__note'>{`活跃会员：近 ${analyticsKpis.activeDays} 天有消费；与上一个同样长的时段相比`}</Text>

          <View className='card mgr__inventory'>
            <Text className='card__title'>会员生命周期（近 8 周）</Text>
            <ErrorNotice error={inv.error} onRetry={() => void inv.refetch()} />
            {inv.data ? (
              <>
                <TrendChart id='mgr-inventory-chart' data={inventorySeries(inv.data.customerInventory)} />
                {stageRows(inv.data.customerInventory).map((r) => (
                  <View key={r.stage} className='mgr__stage' data-stage={r.stage}>
                    <Text>{r.label}</Text>
                    <Text>
                      {`${r.members} 人`}
                      <Text className='muted'>{r.change === 0 ? '  持平' : `  ${r.change > 0 ? '+' : ''}${r.change}`}</Text>
                    </Text>
                  </View>
                ))}
              </>
            ) : null}
          </View>

          <View className='profile__link mgr__link' onClick={() => void Taro.navigateTo({ url: '/manager/ratings/index' })}>
            <Text>差评跟进</Text>
            <Text className='muted'>›</Text>
          </View>
        </View>
      )}
    </PageShell>
  );
}
