import { clock } from '../../utils/clock';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { PageShell } from '../../components/page-shell';
import { orderStateLabel, PAY_PAGE, payUrl, useMyOrders, type PayOrder } from '../../state/pay';
import { formatDateTime, yuan } from '../../utils/format';
import './index.css';

/** The member's WeChat Pay orders (PRODUCT F5), newest first: state, amount, points earned, refunds. */
export default function OrdersPage() {
  const orders = useMyOrders(20);
  return (
    <PageShell
      state={orders}
      loginHint='登录后查看你的订单'
      isEmpty={(d) => d.myOrders.length === 0}
      empty={{
        title: '还没有订单',
        description: '在门店用小程序付款，积分自动到账',
        action: (
          <Button type='primary' onClick={() => void Taro.navigateTo({ url: PAY_PAGE })}>
            去付款
          </Button>
        ),
      }}
      refetchOnShow
    >
      {({ myOrders }) => (
        <View className='card orders'>
          {myOrders.map((o) => (
            <OrderRow key={o.outTradeNo} order={o} />
          ))}
          {myOrders.length >= 20 ? <Text className='muted orders__more'>仅显示最近 20 笔订单</Text> : null}
        </View>
      )}
    </PageShell>
  );
}

function refundText(o: PayOrder): string | null {
  if (o.refundedFen <= 0) return null;
  const what = o.refundedFen >= o.amountFen ? `已全额退款 ¥${yuan(o.refundedFen)}` : `已退款 ¥${yuan(o.refundedFen)}`;
  return o.pointsReversed > 0 ? `${what} · 扣回 ${o.pointsReversed} 积分` : what;
}

function OrderRow({ order: o }: { order: PayOrder }) {
  const payable = o.state === 'PENDING' && Date.parse(o.expiresAt) > clock.ms();
  const refund = refundText(o);
  return (
    <View className='order'>
      <View className='order__head'>
        <Text className='order__store'>{o.storeName}</Text>
        <Text className={`order__state order__state--${o.state.toLowerCase()}`}>{orderStateLabel[o.state] ?? '处理中'}</Text>
      </View>
      <View className='order__body'>
        <View className='order__main'>
          <Text className='muted'>{formatDateTime(o.paidAt ?? o.createdAt)}</Text>
          <Text className='muted'>{`订单号 ${o.outTradeNo}`}</Text>
        </View>
        <View className='order__side'>
          <Text className='order__amount'>{`¥${yuan(o.amountFen)}`}</Text>
          {o.state === 'PAID' && o.points !== null ? <Text className='order__points'>{`+${o.points} 积分`}</Text> : null}
        </View>
      </View>
      {refund ? <Text className='order__refund'>{refund}</Text> : null}
      {payable ? (
        <Text className='order__continue' onClick={() => void Taro.navigateTo({ url: payUrl(o.outTradeNo) })}>
          继续支付 ›
        </Text>
      ) : null}
    </View>
  );
}
