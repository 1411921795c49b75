import { useMemo, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { PageShell } from '../../components/page-shell';
import { couponCondition, couponExpiry, couponSourceLabel, couponStateLabel, couponValue, useMyCoupons, type Coupon } from '../../state/coupons';
import { MALL_PAGE } from '../../state/rewards';
import { formatDate, formatDateTime, yuan } from '../../utils/format';
import { qrDataUrl } from '../../utils/qr';
import './index.css';

/**
 * 我的优惠券 (PRODUCT F9): the wallet. Usable coupons first (soonest to lapse first, "N 天后到期"); tapping one shows its
 * QR and code for the till; then those not started yet, used and expired ones.
 */
export default function CouponsPage() {
  const q = useMyCoupons();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <PageShell
      state={q}
      loginHint='登录后查看你的优惠券'
      isEmpty={(d) => d.myCoupons.length === 0}
      empty={{
        title: '还没有优惠券',
        description: '积分商城的「优惠券」可以用积分兑换',
        action: (
          <Button type='primary' onClick={() => void Taro.navigateTo({ url: MALL_PAGE })}>
            去积分商城
          </Button>
        ),
      }}
      refetchOnShow
    >
      {({ myCoupons }) => {
        const usable = myCoupons.filter((c) => c.state === 'VALID' || c.state === 'UPCOMING');
        const past = myCoupons.filter((c) => c.state === 'USED' || c.state === 'EXPIRED');
        return (
          <View className='coupons'>
            {usable.length ? (
              usable.map((c) => <CouponCard key={c.id} c={c} open={open === c.id} onToggle={() => setOpen(open === c.id ? null : c.id)} />)
            ) : (
              <Text className='muted coupons__none'>暂无可用的优惠券</Text>
            )}
            {past.length ? <Text className='coupons__section'>已使用 / 已过期</Text> : null}
            {past.map((c) => (
              <CouponCard key={c.id} c={c} open={false} onToggle={() => undefined} />
            ))}
          </View>
        );
      }}
    </PageShell>
  );
}

function CouponCard({ c, open, onToggle }: { c: Coupon; open: boolean; onToggle: () => void }) {
  const expiry = couponExpiry(c);
  const dim = c.state === 'USED' || c.state === 'EXPIRED';
  return (
    <View className={`card coupon${dim ? ' coupon--dim' : ''}`} data-state={c.state}>
      <View className='coupon__main' onClick={c.state === 'VALID' ? onToggle : undefined}>
        <View className='coupon__value'>
          <Text className='coupon__amount'>{couponValue(c)}</Text>
          <Text className='coupon__cond'>{couponCondition(c)}</Text>
        </View>
        <View className='coupon__body'>
          <Text className='coupon__name'>{c.name}</Text>
          <Text className='muted coupon__line'>{`${couponSourceLabel[c.source] ?? ''}${c.points > 0 ? ` · ${c.points} 积分` : ''}`}</Text>
          {c.state === 'UPCOMING' && c.validFrom ? <Text className='coupon__line'>{`${formatDate(c.validFrom)} 起可用`}</Text> : null}
          {expiry ? <Text className={`coupon__expiry${c.expiresInDays !== null && c.expiresInDays <= 2 ? ' coupon__expiry--soon' : ''}`}>{expiry}</Text> : null}
          {c.state === 'USED' ? <Text className='muted coupon__line'>{`${c.usedAt ? formatDateTime(c.usedAt) : ''} 在${c.usedStoreName ?? '门店'}使用${c.discountFen ? `，优惠 ¥${yuan(c.discountFen)}` : ''}`}</Text> : null}
        </View>
        <Text className={`coupon__state coupon__state--${c.state.toLowerCase()}`}>{c.state === 'VALID' ? (open ? '收起' : '去使用') : couponStateLabel[c.state]}</Text>
      </View>
      {open ? <CouponCode c={c} /> : null}
    </View>
  );
}

function CouponCode({ c }: { c: Coupon }) {
  const src = useMemo(() => qrDataUrl(c.qrPayload), [c.qrPayload]);
  return (
    <View className='coupon__code'>
      <Text className='muted'>到店出示，店员扫码或输入券码</Text>
      <Image className='coupon__qr' src={src} mode='scaleToFill' data-code={c.qrPayload} />
      <Text className='coupon__text'>{c.code}</Text>
      {c.expiresAt ? <Text className='muted coupon__line'>{`有效期至 ${formatDateTime(new Date(new Date(c.expiresAt).getTime() - 1).toISOString())}`}</Text> : null}
    </View>
  );
}
