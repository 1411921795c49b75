import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { RATING_NOTE_MAX } from '@quanzi/shared';
import { errorZh } from '../../api/client';

/** resolveRating's `note`: 1–500 characters after trimming (the API's own check). */
export function resolveNoteError(note: string | null | undefined): string | null {
  const t = (note ?? '').trim();
  if (!t) return '请填写处理说明';
  if ([...t].length > RATING_NOTE_MAX) return `处理说明最多 ${RATING_NOTE_MAX} 个字`;
  return null;
}

/** Resolve a low rating with a note: checked before sending; the API's refusal shown in Chinese. */
export function ResolveForm({ onSubmit }: { onSubmit: (note: string) => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Form
      layout="vertical"
      onFinish={async (v: { note?: string }) => {
        setBusy(true);
        setError(null);
        try {
          await onSubmit((v.note ?? '').trim());
        } catch (e) {
          setError(errorZh(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form.Item
        name="note"
        label="处理说明"
        rules={[{ validator: async (_, v: string | undefined) => { const m = resolveNoteError(v); if (m) throw new Error(m); } }]}
      >
        <Input.TextArea rows={3} placeholder="例如：已致电会员致歉并赠送饮品券" showCount maxLength={RATING_NOTE_MAX + 20} />
      </Form.Item>
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="resolve-error" />}
      <Button type="primary" htmlType="submit" loading={busy}>
        标记已解决
      </Button>
    </Form>
  );
}
