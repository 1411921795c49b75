import { Input, Picker, Text, View } from '@tarojs/components';
import type { PurchaseLineInput } from '@quanzi/shared';
import { categoryLabel, DEFAULT_CATEGORY } from '../../utils/categories';
import { parseYuan } from '../../utils/format';
import './index.css';

/** One line as typed: a category and an amount in yuan (text until it parses). */
export interface LineDraft {
  key: number;
  category: string;
  amount: string;
}

let nextKey = 1;
export const newLine = (category = DEFAULT_CATEGORY): LineDraft => ({ key: nextKey++, category, amount: '' });

export interface ParsedLines {
  /** Every line valid (a positive amount): `lines` can be sent. */
  valid: boolean;
  lines: PurchaseLineInput[];
  /** Sum of the lines that parse. */
  totalFen: number;
}

/** Yuan text → fen lines (parse helpers of utils/format). */
export function parseLines(drafts: readonly LineDraft[]): ParsedLines {
  const parsed = drafts.map((l) => ({ category: l.category, amountFen: parseYuan(l.amount) }));
  const valid = parsed.length > 0 && parsed.every((l) => l.amountFen !== null && l.amountFen > 0);
  return {
    valid,
    lines: valid ? parsed.map((l) => ({ category: l.category, amountFen: l.amountFen as number })) : [],
    totalFen: parsed.reduce((s, l) => s + (l.amountFen ?? 0), 0),
  };
}

/**
 * Category lines of a purchase (staff: record a purchase, create a till order): a category picker and an amount per
 * line, add/remove lines, a hint under a malformed amount.
 */
export function PurchaseLines(props: { lines: LineDraft[]; options: string[]; onChange(lines: LineDraft[]): void }) {
  const { lines, options, onChange } = props;
  const update = (k: number, patch: Partial<LineDraft>) => onChange(lines.map((l) => (l.key === k ? { ...l, ...patch } : l)));
  return (
    <>
      {lines.map((l, i) => (
        <View key={l.key} className='purchase__line'>
          <Picker
            mode='selector'
            range={options.map(categoryLabel)}
            value={Math.max(0, options.indexOf(l.category))}
            onChange={(e) => update(l.key, { category: options[Number(e.detail.value)] ?? DEFAULT_CATEGORY })}
          >
            <Text className='purchase__category'>{categoryLabel(l.category)} ▾</Text>
          </Picker>
          <Input className='purchase__amount' type='digit' value={l.amount} placeholder='金额（元）' onInput={(e) => update(l.key, { amount: e.detail.value })} />
          {lines.length > 1 ? (
            <Text className='purchase__remove' onClick={() => onChange(lines.filter((x) => x.key !== l.key))}>
              删除
            </Text>
          ) : null}
          {l.amount && parseYuan(l.amount) === null ? <Text className='purchase__invalid'>{`第 ${i + 1} 行金额格式不正确`}</Text> : null}
        </View>
      ))}
      <Text className='purchase__add' onClick={() => onChange([...lines, newLine()])}>
        + 添加一行
      </Text>
    </>
  );
}
