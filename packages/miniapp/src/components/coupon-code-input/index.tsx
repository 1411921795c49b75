import { Input } from '@tarojs/components';

/**
 * The coupon code a member shows, typed (or scanned into) at the till: the till's purchase and 收款 pages. `onChange`
 * gets each edit, so the page can clear an earlier refusal as the cashier corrects the code.
 */
export function CouponCodeInput({ className, value, onChange }: { className: string; value: string; onChange: (code: string) => void }) {
  return <Input className={className} value={value} maxlength={16} placeholder='会员出示的券码，如 ABCD EFGH JKLM' onInput={(e) => onChange(e.detail.value)} />;
}
