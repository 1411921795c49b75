import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { apiError } from '../../api/errors';
import { PageShell, StatusView } from '../../components/page-shell';
import { ORDERS_PAGE, PAY_PAGE, parseOrderNo, RESULT_POLL, usePayOrderPoll, type PayOrder } from '../../state/pay';
import { formatDateTime, yuan } from '../../utils/format';
import './index.css';

/**
 * After paying (PRODUCT F5): WeChat's notification reaches the API within a moment and credits the points; this
 * page polls the order every second for up to 15 s, then offers a refresh. `?outTradeNo=` (and `points`, the
 * server's preview, shown while pending).
 */
export default function PayResultPage() {
  const params = useRouter()?.params ?? {};
  const outTradeNo = parseOrderNo(params.outTradeNo);
  const preview = /^\d{1,9}$/.test(params.points ?? '') ? Number(params.points) : null;
  const poll = usePayOrderPoll(outTradeNo, RESULT_POLL);
  const state = outTradeNo ? poll : { data: null, error: apiError('NOT_FOUND'), loading: false };
  return (
    <PageShell state={state} loginHint='登录后查看支付结果'>
      {(order) => (
        <View className='pay-result'>
          {order.state === 'PAID' ? (
            <Paid order={order} />
          ) : order.state === 'CLOSED' ? (
            <StatusView
              kind='error'
              title='订单已关闭'
              description='订单未支付或已超时关闭，没有扣款'
              action={
                <Button type='primary' onClick={() => void Taro.redirectTo({ url: PAY_PAGE })}>
                  重新付款
                </Button>
              }
            />
          ) : (
            <StatusView
              kind={poll.polling ? 'loading' : 'empty'}
              title='支付处理中'
              description={
                poll.polling
                  ? '正在确认微信支付结果…'
                  : `微信支付结果确认较慢，${preview !== null ? `${preview} 积分` : '积分'}将在确认后自动到账`
              }
              action={
                poll.polling ? undefined : (
                  <Button type='primary' fill='outline' onClick={() => void poll.refetch()}>
                    刷新
                  </Button>
                )
              }
            />
          )}
          <OrderLines order={order} />
        </View>
      )}
    </PageShell>
  );
}

function Paid({ order }: { order: PayOrder }) {
  return (
    <>
      <StatusView kind='success' title={`支付成功，获得 ${order.points ?? 0} 积分`} description={`¥${yuan(order.amountFen)} · ${order.storeName}`} />
      <View className='pay-result__actions'>
        <Button type='primary' fill='outline' onClick={() => void Taro.switchTab({ url: '/pages/points/index' })}>
          查看积分
        </Button>
        <Button type='primary' onClick={() => void Taro.switchTab({ url: '/pages/card/index' })}>
          完成
        </Button>
      </View>
    </>
  );
}

function OrderLines({ order }: { order: PayOrder }) {
  return (
    <View className='card pay-result__order'>
      <View className='row pay-result__line'>
        <Text className='muted'>金额</Text>
        <Text>{`¥${yuan(order.amountFen)}`}</Text>
      </View>
      <View className='row pay-result__line'>
        <Text className='muted'>门店</Text>
        <Text>{order.storeName}</Text>
      </View>
      <View className='row pay-result__line'>
        <Text className='muted'>订单号</Text>
        <Text selectable userSelect>
          {order.outTradeNo}
        </Text>
      </View>
      {order.paidAt ? (
        <View className='row pay-result__line'>
          <Text className='muted'>支付时间</Text>
          <Text>{formatDateTime(order.paidAt)}</Text>
        </View>
      ) : null}
      <Text className='pay-result__orders' onClick={() => void Taro.navigateTo({ url: ORDERS_PAGE })}>
        查看我的订单 ›
      </Text>
    </View>
  );
}
