import { clock } from '../../utils/clock';
import { useMemo, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { apiError, toApiError, type ApiError } from '../../api/errors';
import { CouponCodeInput } from '../../components/coupon-code-input';
import { ErrorNotice, PageShell, StatusView } from '../../components/page-shell';
import { newLine, parseLines, PurchaseLines, type LineDraft } from '../../components/purchase-lines';
import { noTillMember, TillMemberPanel } from '../../components/till-member';
import { useStore } from '../../state/store';
import { newIdempotencyKey, previewEarning, recordPurchase, tillMember, useEarningRules } from '../../state/till';
import { categoryOptions } from '../../utils/categories';
import { yuan } from '../../utils/format';
import './index.css';

type Receipt = Awaited<ReturnType<typeof recordPurchase>>;

/**
 * Record an offline purchase for the scanned member (PRODUCT F5): category lines, a live preview of the points by
 * the shared rule engine (the server's own code), then submit with an idempotency key (retries can't double-credit).
 */
export default function PurchasePage() {
  const current = useStore(tillMember);
  const rules = useEarningRules(current?.storeId ?? null);
  const [lines, setLines] = useState<LineDraft[]>(() => [newLine()]);
  const [key, setKey] = useState(() => newIdempotencyKey('purchase'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [coupon, setCoupon] = useState('');

  const { valid, lines: parsed, totalFen } = useMemo(() => parseLines(lines), [lines]);

  if (!current) {
    return (
      <PageShell state={{ data: null, error: null, loading: false }} empty={noTillMember()}>
        {() => null}
      </PageShell>
    );
  }

  const edit = (next: LineDraft[]) => {
    setLines(next);
    setError(null);
  };

  const submit = async () => {
    if (!valid) {
      setError(apiError('BAD_USER_INPUT'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await recordPurchase({
        tillTicket: current.member.tillTicket,
        storeId: current.storeId,
        lines: parsed,
        idempotencyKey: key,
        couponCode: coupon,
      });
      setReceipt(r);
      tillMember.set({ ...current, member: { ...current.member, points: r.balance } });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setReceipt(null);
    setLines([newLine()]);
    setCoupon('');
    setKey(newIdempotencyKey('purchase'));
  };

  return (
    <PageShell state={rules}>
      {({ earningRules: view }) => {
        if (receipt) {
          return (
            <View className='purchase'>
              <StatusView kind='success' title={`已积分 ${receipt.points}`} description={`会员 ${receipt.memberNo} 当前积分 ${receipt.balance}`} />
              {receipt.discountFen > 0 ? (
                <View className='card purchase__coupon-result'>
                  <Text>{`优惠券抵扣 ¥${yuan(receipt.discountFen)}，实付 ¥${yuan(receipt.paidFen)}（按实付积分）`}</Text>
                </View>
              ) : null}
              {receipt.steps.length > 0 ? (
                <View className='card'>
                  {receipt.steps.map((s, i) => (
                    <View key={i} className='row purchase__step'>
                      <Text>{s.description}</Text>
                      <Text>{s.points}</Text>
                    </View>
                  ))}
                </View>
              ) : null}
              <View className='purchase__actions'>
                <Button type='primary' fill='outline' onClick={again}>
                  继续记录
                </Button>
                <Button type='primary' onClick={() => void Taro.navigateBack()}>
                  完成
                </Button>
              </View>
            </View>
          );
        }
        const options = categoryOptions(view.categories.map((c) => c.category));
        const preview = valid ? previewEarning(view, current.member, parsed, clock.now()) : null;
        return (
          <View className='purchase'>
            <TillMemberPanel />
            <View className='card'>
              <Text className='card__title'>消费明细</Text>
              <PurchaseLines lines={lines} options={options} onChange={edit} />
            </View>
            <View className='card purchase__preview'>
              <View className='row'>
                <Text>{`合计 ¥${yuan(totalFen)}`}</Text>
                <Text className='purchase__points'>{preview ? `预计积分 ${preview.points}` : '预计积分 —'}</Text>
              </View>
              {preview
                ? preview.steps.map((s, i) => (
                    <View key={i} className='row purchase__step'>
                      <Text className='muted'>{s.description}</Text>
                      <Text className='muted'>{s.points}</Text>
                    </View>
                  ))
                : null}
            </View>
            <View className='card'>
              <Text className='card__title'>优惠券（选填）</Text>
              <CouponCodeInput
                className='purchase__coupon'
                value={coupon}
                onChange={(code) => {
                  setCoupon(code);
                  setError(null);
                }}
              />
              {coupon.trim() ? <Text className='muted purchase__coupon-note'>抵扣后按实付金额积分，以收银结果为准</Text> : null}
            </View>
            <ErrorNotice error={error} />
            <Button type='primary' block loading={busy} disabled={!valid || busy} onClick={() => void submit()}>
              {preview && !coupon.trim() ? `确认消费，积 ${preview.points} 分` : '确认消费'}
            </Button>
          </View>
        );
      }}
    </PageShell>
  );
}
