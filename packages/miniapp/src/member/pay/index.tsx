import { clock } from '../../utils/clock';
import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Picker, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { apiError, messageFor, toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell, type ShellState } from '../../components/page-shell';
import { useMe, type Member } from '../../state/member';
import {
  createPayment,
  parseOrderNo,
  resultUrl,
  tillOrderFromParams,
  usePayStore,
  usePayStores,
  useTillOrderIntent,
  type PaymentIntent,
  type PayStore,
} from '../../state/pay';
import { previewEarning, useEarningRules } from '../../state/till';
import { DEFAULT_CATEGORY } from '../../utils/categories';
import { multiplierText, parseYuan, yuan } from '../../utils/format';
import { DEMO_PAY, requestPayment } from '../../utils/pay';
import { CAN_SCAN, scanQrText } from '../../utils/scan';
import './index.css';

/**
 * Pay at a store (PRODUCT F5). Without parameters: choose the store, enter the amount, see the points it will earn
 * (the shared rule engine with the member's tier), then `createPayment` → WeChat's payment sheet → the result page.
 * Opened from a till order's code (`?scene=` on weapp, `?outTradeNo=`) or after scanning one here: that order's
 * summary through `payTillOrder`, then the same payment sheet.
 */
export default function PayPage() {
  const router = useRouter();
  const [tillNo, setTillNo] = useState<string | null>(() => tillOrderFromParams(router?.params));
  return tillNo ? <TillOrderPay outTradeNo={tillNo} /> : <StorePay onTillOrder={setTillNo} />;
}

/** Paying: the sheet (or the simulator on H5), then the result page; a cancel keeps the order payable. */
function usePayAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const run = async (intentOf: () => Promise<PaymentIntent>) => {
    setBusy(true);
    setError(null);
    setCancelled(false);
    try {
      const intent = await intentOf();
      const outcome = await requestPayment(intent.payment);
      if (outcome === 'cancelled') {
        setCancelled(true);
        return;
      }
      void Taro.redirectTo({ url: resultUrl(intent) }).catch(() => Taro.navigateTo({ url: resultUrl(intent) }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, cancelled, run, setError };
}

/** The order as the server created it: store, amount, number, and the points it will earn (server-side preview). */
function OrderSummary({ intent, title }: { intent: PaymentIntent; title: string }) {
  const o = intent.order;
  return (
    <View className='card pay-summary'>
      <Text className='card__title'>{title}</Text>
      <Text className='pay-summary__store'>{o.storeName}</Text>
      <Text className='pay-summary__amount'>{`¥${yuan(o.amountFen)}`}</Text>
      {o.discountFen > 0 ? <Text className='muted pay-summary__line'>{`已用券抵扣 ¥${yuan(o.discountFen)} · 原价 ¥${yuan(o.amountFen + o.discountFen)}`}</Text> : null}
      {o.description ? <Text className='muted pay-summary__line'>{o.description}</Text> : null}
      <View className='row pay-summary__line'>
        <Text className='muted'>订单号</Text>
        <Text className='muted' selectable userSelect>
          {o.outTradeNo}
        </Text>
      </View>
      <View className='row pay-summary__line'>
        <Text>预计获得</Text>
        <Text className='pay__points'>{`${intent.pointsPreview} 积分`}</Text>
      </View>
    </View>
  );
}

function CancelledNotice({ show }: { show: boolean }) {
  return show ? <Text className='pay__notice'>{messageFor('PAY_CANCELLED')}</Text> : null;
}

function DemoNote() {
  return DEMO_PAY ? <Text className='muted pay__demo'>演示环境：由微信支付模拟器完成付款，不会真实扣款</Text> : null;
}

/** A till order: the staff created it, the member scanned it. */
function TillOrderPay({ outTradeNo }: { outTradeNo: string }) {
  const intent = useTillOrderIntent(outTradeNo);
  const action = usePayAction();
  return (
    <PageShell state={intent} loginHint='登录后即可付款，消费自动积分'>
      {({ payTillOrder: it }) => (
        <View className='pay'>
          <OrderSummary intent={it} title='收银台订单' />
          <CancelledNotice show={action.cancelled} />
          <ErrorNotice error={action.error} />
          <Button type='primary' block loading={action.busy} disabled={action.busy} onClick={() => void action.run(async () => it)}>
            {action.cancelled ? '继续支付' : `确认支付 ¥${yuan(it.order.amountFen)}`}
          </Button>
          <DemoNote />
        </View>
      )}
    </PageShell>
  );
}

interface StorePayData {
  member: Member;
  stores: PayStore[];
}

/** The member and the stores, as one page state. */
function useStorePayData(): ShellState<StorePayData> {
  const me = useMe();
  const stores = usePayStores();
  return {
    data: me.data && stores.data ? { member: me.data.me, stores: stores.data.stores } : null,
    error: me.error ?? stores.error,
    loading: me.loading || stores.loading,
    stale: me.stale,
    refetch: () => Promise.all([me.refetch(), stores.refetch()]).then(() => undefined),
  };
}

/** A new payment at a store. */
function StorePay({ onTillOrder }: { onTillOrder(outTradeNo: string): void }) {
  const state = useStorePayData();
  return (
    <PageShell
      state={state}
      loginHint='登录后即可付款，消费自动积分'
      isEmpty={(d) => d.stores.length === 0}
      empty={{ title: '暂无可付款的门店' }}
    >
      {(d) => <StorePayForm member={d.member} stores={d.stores} onTillOrder={onTillOrder} />}
    </PageShell>
  );
}

function StorePayForm({ member, stores, onTillOrder }: StorePayData & { onTillOrder(outTradeNo: string): void }) {
  const { store, choose } = usePayStore(stores);
  const rules = useEarningRules(store?.id ?? null);
  const [amount, setAmount] = useState('');
  const [intent, setIntent] = useState<PaymentIntent | null>(null);
  const action = usePayAction();

  const amountFen = parseYuan(amount);
  const valid = amountFen !== null && amountFen > 0;
  const tier = { tierMultiplierPct: member.tier.multiplierPct, tierName: member.tier.name };
  const view = rules.data && store && rules.data.earningRules.storeId === store.id ? rules.data.earningRules : null;
  const preview = valid && view ? previewEarning(view, tier, [{ category: DEFAULT_CATEGORY, amountFen }], clock.now()) : null;

  const submit = () => {
    if (!valid || !store) {
      action.setError(apiError('BAD_USER_INPUT'));
      return;
    }
    void action.run(async () => {
      // One order per submission: after a cancel, paying again reuses it (same prepay, same amount).
      const it = intent ?? (await createPayment({ storeId: store.id, amountFen }));
      setIntent(it);
      return it;
    });
  };

  if (intent) {
    return (
      <View className='pay'>
        <OrderSummary intent={intent} title='待支付订单' />
        <CancelledNotice show={action.cancelled} />
        <ErrorNotice error={action.error} />
        <Button type='primary' block loading={action.busy} disabled={action.busy} onClick={submit}>
          {action.cancelled || action.error ? '继续支付' : `确认支付 ¥${yuan(intent.order.amountFen)}`}
        </Button>
        {!action.busy ? (
          <Text
            className='pay__link'
            onClick={() => {
              setIntent(null);
              action.setError(null);
            }}
          >
            修改金额或门店
          </Text>
        ) : null}
        <DemoNote />
      </View>
    );
  }

  return (
    <View className='pay'>
      <View className='card'>
        <Text className='card__title'>付款门店</Text>
        <Picker mode='selector' range={stores.map((s) => s.name)} value={Math.max(0, stores.findIndex((s) => s.id === store?.id))} onChange={(e) => choose(stores[Number(e.detail.value)]?.id ?? '')}>
          <View className='row pay__store'>
            <Text>{store?.name ?? '选择门店'}</Text>
            <Text className='muted'>{store ? `${store.regionName} ▾` : '▾'}</Text>
          </View>
        </Picker>
      </View>
      <View className='card'>
        <Text className='card__title'>付款金额</Text>
        <View className='pay__amount-row'>
          <Text className='pay__currency'>¥</Text>
          <Input
            className='pay__amount'
            type='digit'
            value={amount}
            placeholder='输入金额（元）'
            onInput={(e) => {
              setAmount(e.detail.value);
              action.setError(null);
            }}
          />
        </View>
        {amount && !valid ? <Text className='pay__invalid'>金额格式不正确，最多两位小数</Text> : null}
      </View>
      <View className='card pay__preview'>
        <View className='row'>
          <Text>{`${member.tier.name} ${multiplierText(member.tier.multiplierPct)}`}</Text>
          <Text className='pay__points'>{preview ? `预计获得 ${preview.points} 积分` : rules.loading && valid ? '预计积分计算中…' : '预计积分 —'}</Text>
        </View>
        {preview
          ? preview.steps.map((s, i) => (
              <View key={i} className='row pay__step'>
                <Text className='muted'>{s.description}</Text>
                <Text className='muted'>{s.points}</Text>
              </View>
            ))
          : null}
        {rules.error ? <ErrorNotice error={rules.error} onRetry={() => void rules.refetch()} /> : null}
      </View>
      <ErrorNotice error={action.error} />
      <Button type='primary' block loading={action.busy} disabled={!valid || action.busy} onClick={submit}>
        {valid ? `确认付款 ¥${yuan(amountFen)}` : '确认付款'}
      </Button>
      <DemoNote />
      <TillOrderEntry onTillOrder={onTillOrder} />
    </View>
  );
}

/** Paying an order the staff created: scan its code (weapp) or type its number (H5). */
function TillOrderEntry({ onTillOrder }: { onTillOrder(outTradeNo: string): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const open = (value: string | null) => {
    if (value === null) return;
    const no = parseOrderNo(value);
    if (!no) {
      setError(apiError('NOT_FOUND'));
      return;
    }
    setError(null);
    onTillOrder(no);
  };
  return (
    <View className='card pay__till'>
      <Text className='card__title'>在收银台付款</Text>
      <Text className='muted'>{CAN_SCAN ? '店员出示收款码时，扫码即可付款' : '输入店员收款码下方的订单号即可付款'}</Text>
      {CAN_SCAN ? (
        <Button className='pay__scan' type='primary' fill='outline' block onClick={() => void scanQrText().then(open)}>
          扫描收款码
        </Button>
      ) : (
        <View className='pay__till-manual'>
          <Input className='pay__order-no' value={text} placeholder='输入收款码下方的订单号' onInput={(e) => setText(e.detail.value)} onConfirm={(e) => open(e.detail.value)} />
          <Button type='primary' fill='outline' onClick={() => open(text)}>
            去付款
          </Button>
        </View>
      )}
      <ErrorNotice error={error} />
    </View>
  );
}
