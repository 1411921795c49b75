import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { apiError, toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell, StatusView } from '../../components/page-shell';
import { noTillMember, TillMemberPanel } from '../../components/till-member';
import { useStore } from '../../state/store';
import { newIdempotencyKey, redeemPoints, tillMember, type TillMember } from '../../state/till';
import { parsePoints } from '../../utils/format';
import './index.css';

type Receipt = Awaited<ReturnType<typeof redeemPoints>>;

/** Deduct points at the till for the scanned member (the server allocates them oldest-lot first). */
export default function RedeemPage() {
  const current = useStore(tillMember);
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('门店积分抵扣');
  const [key, setKey] = useState(() => newIdempotencyKey('redeem'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  const state = current ? { data: current, error: null, loading: false } : { data: null, error: null, loading: false };

  const submit = async (m: TillMember) => {
    const n = parsePoints(points);
    if (n === null || !reason.trim()) {
      setError(apiError('BAD_USER_INPUT'));
      return;
    }
    if (n > m.member.points) {
      setError(apiError('INSUFFICIENT_POINTS'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await redeemPoints({ tillTicket: m.member.tillTicket, storeId: m.storeId, points: n, reason: reason.trim(), idempotencyKey: key });
      setReceipt(r);
      tillMember.set({ ...m, member: { ...m.member, points: r.balance } });
      setKey(newIdempotencyKey('redeem'));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell
      state={state}
      empty={noTillMember()}
    >
      {(m) =>
        receipt ? (
          <View className='redeem'>
            <StatusView kind='success' title={`已扣减 ${receipt.points} 积分`} description={`会员 ${receipt.memberNo} 剩余积分 ${receipt.balance}`} />
            <Button type='primary' block onClick={() => void Taro.navigateBack()}>
              完成
            </Button>
          </View>
        ) : (
          <View className='redeem'>
            <TillMemberPanel />
            <View className='card'>
              <Text className='card__title'>扣减积分</Text>
              <Input className='redeem__input redeem__points' type='number' value={points} placeholder={`积分数（最多 ${m.member.points}）`} onInput={(e) => { setPoints(e.detail.value); setError(null); }} />
              <Input className='redeem__input redeem__reason' value={reason} maxlength={60} placeholder='原因，如：兑换购物袋' onInput={(e) => { setReason(e.detail.value); setError(null); }} />
            </View>
            <ErrorNotice error={error} />
            <Button type='primary' block loading={busy} disabled={busy} onClick={() => void submit(m)}>
              确认扣减
            </Button>
          </View>
        )
      }
    </PageShell>
  );
}
