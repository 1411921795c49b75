import { Tabs } from 'antd';
import { useScope } from '../../scope';
import { PayAnomalies } from './PayAnomalies';
import { PayOrders } from './PayOrders';
import { Reconciliation } from './Reconciliation';

/** 支付与退款: WeChat Pay orders and refunds in scope; the anomalies and the points reconciliation for HQ managers. */
export default function PaymentsSection() {
  const scope = useScope();
  return (
    <Tabs
      items={[
        { key: 'orders', label: '订单与退款', children: <PayOrders /> },
        ...(scope.hq ? [{ key: 'anomalies', label: '支付异常', children: <PayAnomalies /> }, { key: 'reconciliation', label: '积分对账', children: <Reconciliation /> }] : []),
      ]}
    />
  );
}
