import { Alert, Button, Card, Result, Table } from 'antd';
import { useGql } from '../../api/use-gql';
import { PointsReconciliationDocument } from '../../graphql/generated';

/** 积分对账 (HQ): whether every member's balance equals the sum of their ledger entries and of their lots' remainders. */
export function Reconciliation() {
  const { data, loading, error, reload } = useGql(PointsReconciliationDocument, {});
  const issues = data?.pointsReconciliation ?? [];
  return (
    <Card title="积分对账" extra={<Button loading={loading} onClick={() => void reload()}>重新核对</Button>}>
      {error && <Alert type="error" title={error.zh} />}
      {data && issues.length === 0 && <Result status="success" title="账目平衡" subTitle="每位会员的积分余额 = 流水合计 = 未过期积分批次合计（含退款扣回）" data-testid="books-balance" />}
      {issues.length > 0 && (
        <>
          <Alert type="error" style={{ marginBottom: 16 }} title={`${issues.length} 位会员账目不平，请联系技术支持`} />
          <Table
            rowKey="memberId"
            dataSource={issues}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: '会员 ID', dataIndex: 'memberId' },
              { title: '余额', dataIndex: 'balance' },
              { title: '流水合计', dataIndex: 'entriesSum' },
              { title: '批次剩余合计', dataIndex: 'lotsRemaining' },
            ]}
          />
        </>
      )}
    </Card>
  );
}
