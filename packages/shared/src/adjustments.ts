/**
 * Manual points adjustments by managers (issue #13): the bounds of a request and whether it needs a second
 * manager's approval (four eyes). The API and the console's form check the same rule.
 */

/** The largest |delta| one adjustment may move. */
export const ADJUSTMENT_MAX_DELTA = 1_000_000;
/** The longest reason (and rejection note), in characters. */
export const ADJUSTMENT_REASON_MAX = 100;

export type AdjustmentField = 'delta' | 'reason';

/** Why a requested adjustment is malformed, by field (empty: fine). Messages are Chinese, for the console's form. */
export function adjustmentErrors(input: { delta?: number | null; reason?: string | null }): Partial<Record<AdjustmentField, string>> {
  const e: Partial<Record<AdjustmentField, string>> = {};
  const d = input.delta;
  if (d == null || !Number.isSafeInteger(d) || d === 0) e.delta = '调整积分为非零整数';
  else if (Math.abs(d) > ADJUSTMENT_MAX_DELTA) e.delta = `调整积分不超过 ±${ADJUSTMENT_MAX_DELTA.toLocaleString('en-US')}`;
  const r = (input.reason ?? '').trim();
  if (!r) e.reason = '请填写调整原因';
  else if ([...r].length > ADJUSTMENT_REASON_MAX) e.reason = `调整原因最多 ${ADJUSTMENT_REASON_MAX} 个字`;
  return e;
}

/** Whether an adjustment of `delta` waits for a second manager: |delta| above the threshold. */
export function adjustmentNeedsApproval(delta: number, thresholdPoints: number): boolean {
  return Math.abs(delta) > thresholdPoints;
}
