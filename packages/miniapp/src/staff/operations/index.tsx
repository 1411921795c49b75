import { Text, View } from '@tarojs/components';
import { PageShell } from '../../components/page-shell';
import { useSession } from '../../state/session';
import { useTillOperations, useTillStore } from '../../state/till';
import { formatDateTime, signedPoints, tillOperationLabel, yuan } from '../../utils/format';
import { apiError } from '../../api/errors';
import './index.css';

/** The last ten purchases, deductions and rewards redeemed at this till's store. */
export default function OperationsPage() {
  const { token } = useSession();
  const { store } = useTillStore();
  const ops = useTillOperations(store?.id ?? null);
  const state = token && !store ? { data: null, error: apiError('FORBIDDEN'), loading: false } : ops;
  return (
    <PageShell
      state={state}
      isEmpty={(d) => d.tillOperations.length === 0}
      empty={{ title: '本店还没有操作记录', description: store ? `${store.name} 的消费与积分扣减会显示在这里（不含券核销）` : undefined }}
      refetchOnShow
    >
      {({ tillOperations }) => (
        <View className='card operations'>
          <Text className='card__title'>{store ? `${store.name} · 最近 ${tillOperations.length} 笔` : '最近操作'}</Text>
          {tillOperations.map((op) => (
            <View key={op.id} className='operation'>
              <View className='operation__main'>
                <Text>{`${tillOperationLabel[op.kind] ?? op.kind}${op.rewardName ? `「${op.rewardName}」` : ''} · 会员 ${op.memberNo}`}</Text>
                <Text className='muted'>{formatDateTime(op.createdAt)}</Text>
              </View>
              <View className='operation__side'>
                <Text className={op.kind === 'PURCHASE' ? 'operation__plus' : 'operation__minus'}>
                  {signedPoints(op.kind === 'PURCHASE' ? op.points : -Math.abs(op.points))}
                </Text>
                {op.amountFen !== null ? <Text className='muted'>{`¥${yuan(op.amountFen)}`}</Text> : null}
              </View>
            </View>
          ))}
        </View>
      )}
    </PageShell>
  );
}
