import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { isVoucherCode, normalizeVoucherCode } from '@quanzi/shared';
import { apiError, toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell, StatusView } from '../../components/page-shell';
import { RedemptionStatusTag } from '../../components/reward-ui';
import { refreshViewer } from '../../state/auth';
import { lookUpVoucher, markVoucherUsed, type Voucher, type VoucherUse } from '../../state/rewards';
import { isStaff, useSession } from '../../state/session';
import { useTillStore, type Store } from '../../state/till';
import { formatDateTime, parseYuan, yuan } from '../../utils/format';
import { CAN_SCAN, scanQrText } from '../../utils/scan';
import './index.css';

/** 核销券 (PRODUCT F6): scan or type the member's voucher code → `voucher` shows it → `useVoucher` marks it used. */
export default function VoucherPage() {
  const { token, viewer } = useSession();
  const { store } = useTillStore();
  const state = !token
    ? { data: null, error: apiError('UNAUTHENTICATED'), loading: false }
    : !isStaff(viewer) || !store
      ? { data: null, error: apiError('FORBIDDEN'), loading: false, refetch: () => refreshViewer().then(() => undefined) }
      : { data: store, error: null, loading: false };
  return (
    <PageShell state={state} loginHint='店员登录后核销券'>
      {(s) => <VoucherDesk key={s.id} store={s} />}
    </PageShell>
  );
}

function couponTerms(v: Voucher): string | null {
  if (v.kind !== 'COUPON') return null;
  const off = v.amountOffFen ? `立减 ¥${yuan(v.amountOffFen)}` : v.discountPct ? `${v.discountPct / 10} 折` : null;
  if (!off) return null;
  return v.minSpendFen > 0 ? `满 ¥${yuan(v.minSpendFen)} ${off}` : off;
}

function VoucherDesk({ store }: { store: Store }) {
  const [code, setCode] = useState('');
  const [spend, setSpend] = useState('');
  const [voucher, setVoucher] = useState<Voucher | null>(null);
  const [used, setUsed] = useState<VoucherUse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const look = async (text: string) => {
    const norm = normalizeVoucherCode(text);
    if (!isVoucherCode(norm)) return setError(apiError('VOUCHER_INVALID'));
    setBusy(true);
    setError(null);
    try {
      setVoucher(await lookUpVoucher(norm, store.id));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    const t = await scanQrText();
    if (t) {
      setCode(t);
      await look(t);
    }
  };

  const use = async (v: Voucher) => {
    let spendFen: number | null = null;
    if (v.kind === 'COUPON' && spend.trim()) {
      spendFen = parseYuan(spend);
      if (spendFen === null) return setError(apiError('BAD_USER_INPUT'));
    }
    setBusy(true);
    setError(null);
    try {
      setUsed(await markVoucherUsed(v.code, store.id, spendFen));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setCode('');
    setSpend('');
    setVoucher(null);
    setUsed(null);
    setError(null);
  };

  if (used) {
    const v = used.voucher;
    const parts = [used.discountFen ? `立减 ¥${yuan(used.discountFen)}` : null, v.cashFen > 0 ? `请收取 ¥${yuan(v.cashFen)}` : null].filter(Boolean);
    return (
      <View className='voucher-desk'>
        <StatusView kind='success' title={`已核销 · ${v.rewardName}`} description={parts.length ? parts.join(' · ') : `会员 ${v.memberNo}`} />
        <Button type='primary' block onClick={reset}>
          核销下一张
        </Button>
      </View>
    );
  }

  return (
    <View className='voucher-desk'>
      <View className='card'>
        <Text className='card__title'>{`券码 · ${store.name}`}</Text>
        {CAN_SCAN ? (
          <Button type='primary' block onClick={() => void scan()}>
            扫描券码
          </Button>
        ) : null}
        <Input className='voucher-desk__input voucher-desk__code' value={code} maxlength={16} placeholder={CAN_SCAN ? '或输入 12 位券码' : '输入 12 位券码，如 ABCD EFGH JKLM'} onInput={(e) => { setCode(e.detail.value); setVoucher(null); setError(null); }} />
        <Button block fill='outline' type='primary' loading={busy && !voucher} disabled={busy} onClick={() => void look(code)}>
          查询
        </Button>
      </View>
      {voucher ? (
        <View className='card voucher-desk__found'>
          <View className='voucher-desk__head'>
            <Text className='voucher-desk__name'>{voucher.rewardName}</Text>
            <RedemptionStatusTag status={voucher.status} />
          </View>
          <Text className='voucher-desk__line'>{`券码 ${voucher.code} · 会员 ${voucher.memberNo}`}</Text>
          {couponTerms(voucher) ? <Text className='voucher-desk__line'>{couponTerms(voucher)}</Text> : null}
          {voucher.cashFen > 0 ? <Text className='voucher-desk__line'>{`需另收 ¥${yuan(voucher.cashFen)}`}</Text> : null}
          {voucher.expiresAt ? <Text className='muted voucher-desk__line'>{`有效期至 ${formatDateTime(voucher.expiresAt)}`}</Text> : null}
          {voucher.status === 'USED' ? (
            <Text className='voucher-desk__warn'>{`已于 ${voucher.usedAt ? formatDateTime(voucher.usedAt) : ''} 在${voucher.usedStoreName ?? '门店'}使用`}</Text>
          ) : !voucher.usableHere ? (
            <Text className='voucher-desk__warn'>该券不能在本门店使用或已过期</Text>
          ) : (
            <>
              {voucher.kind === 'COUPON' && (voucher.amountOffFen || voucher.discountPct) ? (
                <Input className='voucher-desk__input voucher-desk__spend' type='digit' value={spend} placeholder='本次消费金额（元，选填）' onInput={(e) => { setSpend(e.detail.value); setError(null); }} />
              ) : null}
              <Button type='primary' block loading={busy} disabled={busy} onClick={() => void use(voucher)}>
                确认核销
              </Button>
            </>
          )}
        </View>
      ) : null}
      <ErrorNotice error={error} />
      <Text className='muted voucher-desk__back' onClick={() => void Taro.navigateBack()}>
        返回收银台
      </Text>
    </View>
  );
}
