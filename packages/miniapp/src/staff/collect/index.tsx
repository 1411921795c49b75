import { useEffect, useMemo, useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { apiError, toApiError, type ApiError } from '../../api/errors';
import { CouponCodeInput } from '../../components/coupon-code-input';
import { ErrorNotice, PageShell, StatusView } from '../../components/page-shell';
import { newLine, parseLines, PurchaseLines, type LineDraft } from '../../components/purchase-lines';
import { refreshViewer } from '../../state/auth';
import { createTillOrder, tillPollWindow, TILL_POLL, usePayOrderPoll, type PayOrder } from '../../state/pay';
import { isStaff, useSession } from '../../state/session';
import { useEarningRules, useTillStore, type Store } from '../../state/till';
import { categoryOptions } from '../../utils/categories';
import { yuan } from '../../utils/format';
import { qrDataUrl } from '../../utils/qr';
import { CAN_SCAN, scanQrText } from '../../utils/scan';
import { tillCodeImage } from '../../utils/till-code';
import './index.css';

/**
 * Collect a payment at the till (PRODUCT F5, "pay at the till"): the staff enter the amount (category lines like a
 * recorded purchase), `createTillOrder` gives an order whose number the QR code carries; the member scans it in the
 * mini-program and pays with WeChat Pay. This page polls the order until it is paid and shows the points credited.
 * A member's coupon (optional: scanned from the QR in their wallet, or its code typed) is applied by the API: the
 * order is the total less the discount, only that member can pay it, and the coupon is used when they have paid.
 */
export default function CollectPage() {
  const { token, viewer } = useSession();
  const { store } = useTillStore();
  const [order, setOrder] = useState<PayOrder | null>(null);

  const state = !token
    ? { data: null, error: apiError('UNAUTHENTICATED'), loading: false }
    : !isStaff(viewer) || !store
      ? { data: null, error: apiError('FORBIDDEN'), loading: false, refetch: () => refreshViewer().then(() => undefined) }
      : { data: store, error: null, loading: false };

  return (
    <PageShell state={state} loginHint='店员登录后使用收款'>
      {(s) => (order ? <TillOrderQr order={order} onNext={() => setOrder(null)} /> : <CollectForm store={s} onCreated={setOrder} />)}
    </PageShell>
  );
}

function CollectForm({ store, onCreated }: { store: Store; onCreated(order: PayOrder): void }) {
  const rules = useEarningRules(store.id);
  const [lines, setLines] = useState<LineDraft[]>(() => [newLine()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [coupon, setCoupon] = useState('');
  const { valid, lines: parsed, totalFen } = useMemo(() => parseLines(lines), [lines]);
  const couponCode = coupon.replace(/\s+/g, '');
  const options = categoryOptions(rules.data?.earningRules.categories.map((c) => c.category) ?? []);

  const submit = async () => {
    if (!valid) {
      setError(apiError('BAD_USER_INPUT'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await createTillOrder({ storeId: store.id, amountFen: totalFen, lines: parsed, ...(couponCode ? { couponCode } : {}) }));
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };

  return (
    <View className='collect'>
      <View className='card row'>
        <Text className='collect__store'>{store.name}</Text>
        <Text className='muted'>微信支付收款</Text>
      </View>
      <View className='card'>
        <Text className='card__title'>收款金额</Text>
        <PurchaseLines
          lines={lines}
          options={options}
          onChange={(next) => {
            setLines(next);
            setError(null);
          }}
        />
        <View className='row collect__total'>
          <Text>合计</Text>
          <Text className='collect__amount'>{`¥${yuan(totalFen)}`}</Text>
        </View>
      </View>
      <View className='card'>
        <Text className='card__title'>优惠券（选填）</Text>
        <View className='row'>
          <CouponCodeInput
            className='collect__coupon'
            value={coupon}
            onChange={(code) => {
              setCoupon(code);
              setError(null);
            }}
          />
          {CAN_SCAN ? (
            <Button
              size='small'
              className='collect__coupon-scan'
              onClick={() =>
                void scanQrText().then((code) => {
                  if (code) {
                    setCoupon(code);
                    setError(null);
                  }
                })
              }
            >
              扫券码
            </Button>
          ) : null}
        </View>
        {couponCode ? <Text className='muted collect__coupon-note'>收款金额为抵扣后的实付金额；仅该券的会员可扫码付款，付款成功后券即核销</Text> : null}
      </View>
      <ErrorNotice error={error} />
      <Button type='primary' block loading={busy} disabled={!valid || busy} onClick={() => void submit()}>
        {valid ? (couponCode ? `用券生成收款码（原价 ¥${yuan(totalFen)}）` : `生成收款码 ¥${yuan(totalFen)}`) : '生成收款码'}
      </Button>
      <Text className='muted collect__hint'>顾客用圈子会员小程序「付款」扫码支付，积分自动到账</Text>
    </View>
  );
}

/** The order's QR code (its number) until the member has paid; then the points they earned. */
function TillOrderQr({ order, onNext }: { order: PayOrder; onNext(): void }) {
  const windowMs = useMemo(() => tillPollWindow(order.expiresAt), [order.expiresAt]);
  const poll = usePayOrderPoll(order.outTradeNo, { intervalMs: TILL_POLL.intervalMs, timeoutMs: windowMs });
  // The plain QR first (instant, offline), replaced by the mini-program code once the API has made it.
  const [src, setSrc] = useState(() => qrDataUrl(order.outTradeNo));
  useEffect(() => {
    let live = true;
    void tillCodeImage(order.outTradeNo).then((url) => live && setSrc(url));
    return () => {
      live = false;
    };
  }, [order.outTradeNo]);
  const current = poll.data ?? order;

  if (current.state === 'PAID') {
    return (
      <View className='collect'>
        <StatusView
          kind='success'
          title={`已收款 · 会员获得 ${current.points ?? 0} 积分`}
          description={`¥${yuan(current.amountFen)}${current.discountFen > 0 ? `（券抵扣 ¥${yuan(current.discountFen)}，已核销）` : ''} · 订单号 ${current.outTradeNo}`}
          action={
            <Button type='primary' onClick={onNext}>
              继续收款
            </Button>
          }
        />
      </View>
    );
  }
  if (current.state === 'CLOSED') {
    return (
      <View className='collect'>
        <StatusView
          kind='error'
          title='订单已关闭'
          description='顾客未在有效期内付款，没有扣款'
          action={
            <Button type='primary' onClick={onNext}>
              重新收款
            </Button>
          }
        />
      </View>
    );
  }
  return (
    <View className='collect'>
      <View className='card collect__qr'>
        <Text className='collect__qr-amount'>{`¥${yuan(current.amountFen)}`}</Text>
        {current.discountFen > 0 ? (
          <Text className='muted collect__discount'>{`已用券抵扣 ¥${yuan(current.discountFen)} · 原价 ¥${yuan(current.amountFen + current.discountFen)}`}</Text>
        ) : null}
        <Image className='collect__qr-image' src={src} mode='scaleToFill' data-order={current.outTradeNo} />
        <Text className='collect__order-no' selectable userSelect>
          {`订单号 ${current.outTradeNo}`}
        </Text>
        <Text className='muted collect__qr-hint'>请顾客打开圈子会员小程序，在「付款」页扫描此码</Text>
        <Text className='muted collect__status'>{poll.polling ? '等待顾客付款…' : poll.error ? '' : '已暂停自动刷新'}</Text>
      </View>
      <ErrorNotice error={poll.error} onRetry={() => void poll.refetch()} />
      <View className='collect__actions'>
        <Button type='primary' fill='outline' onClick={onNext}>
          重新收款
        </Button>
        <Button type='primary' disabled={poll.polling} onClick={() => void poll.refetch()}>
          刷新
        </Button>
      </View>
    </View>
  );
}
