import { useRef } from 'react';
import { Button, Form, Input, Typography } from 'antd';
import { MAX_ISSUE_LIST, memberNosError, parseMemberNos, submitKey } from '../../validation-ops';

/**
 * 发放: one coupon to each of 1–200 member numbers (pasted one per line or separated by commas). The idempotency key is
 * made for each submission; resending the same list after an unclear failure reuses it, so nobody gets two.
 */
export function IssueForm({ remaining, onSubmit }: { remaining: number; onSubmit: (memberNos: string[], idempotencyKey: string) => Promise<void> }) {
  const [form] = Form.useForm<{ memberNos: string }>();
  const text = Form.useWatch('memberNos', form);
  const count = parseMemberNos(text).length;
  const last = useRef<{ list: string; key: string } | null>(null);
  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="issue-form"
      onFinish={(v) => {
        const nos = parseMemberNos(v.memberNos);
        const list = nos.join(',');
        if (last.current?.list !== list) last.current = { list, key: submitKey('issue') };
        return onSubmit(nos, last.current.key);
      }}
    >
      <Form.Item
        name="memberNos"
        label={`会员号（每行一个，最多 ${MAX_ISSUE_LIST} 个）`}
        rules={[{ validator: async (_: unknown, v: string | undefined) => { const m = memberNosError(v); if (m) throw new Error(m); } }]}
      >
        <Input.TextArea rows={5} placeholder={'1234567890\n2345678901'} />
      </Form.Item>
      <Typography.Paragraph type="secondary">
        {`共 ${count} 位会员 · 剩余 ${remaining} 张${count > remaining ? '（不足，将全部不发放）' : ''}`}
      </Typography.Paragraph>
      <Button type="primary" htmlType="submit">
        确认发放
      </Button>
    </Form>
  );
}
