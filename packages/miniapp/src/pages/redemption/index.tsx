import { useMemo } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { apiError } from '../../api/errors';
import { PageShell } from '../../components/page-shell';
import { RedemptionStatusTag } from '../../components/reward-ui';
import { inProgress, MY_REDEMPTIONS_PAGE, usePollWhile, useRedemption, type Redemption } from '../../state/rewards';
import { formatDateTime, yuan } from '../../utils/format';
import { qrDataUrl } from '../../utils/qr';
import './index.css';

/**
 * One redemption (the result after redeeming, and the REWARD_RESULT subscribe message's page `?id=`): live status
 * (polled while processing), the refund of a failed top-up, and a voucher's code as a QR and in text.
 */
export default function RedemptionPage() {
  const id = useRouter()?.params?.id ?? null;
  const q = useRedemption(id);
  usePollWhile(!!q.data && inProgress(q.data.redemption), q.refetch);
  const state = id ? q : { data: null, error: apiError('NOT_FOUND'), loading: false };
  return (
    <PageShell state={state} loginHint='登录后查看兑换详情' refetchOnShow>
      {({ redemption: r }) => (
        <View className='redemption'>
          <View className='card'>
            <View className='redemption__head'>
              <Text className='redemption__name'>{r.rewardName}</Text>
              <RedemptionStatusTag status={r.status} />
            </View>
            <Text className='muted redemption__line'>{`${r.points} 积分${r.cashFen > 0 ? ` + ¥${yuan(r.cashFen)}` : ''} · ${formatDateTime(r.createdAt)}`}</Text>
            {r.target ? <Text className='redemption__line'>{`充值账号 ${r.target}`}</Text> : null}
            <StatusLine r={r} />
          </View>
          {r.voucherCode && r.status === 'ISSUED' ? <VoucherCard r={r} code={r.voucherCode} /> : null}
          <Button block fill='outline' type='primary' onClick={() => void Taro.navigateTo({ url: MY_REDEMPTIONS_PAGE })}>
            我的兑换
          </Button>
        </View>
      )}
    </PageShell>
  );
}

function StatusLine({ r }: { r: Redemption }) {
  if (inProgress(r)) return <Text className='redemption__note'>正在充值，通常几分钟内到账，请稍候</Text>;
  if (r.status === 'DELIVERED') return <Text className='redemption__note'>{`已到账${r.finishedAt ? ` · ${formatDateTime(r.finishedAt)}` : ''}`}</Text>;
  if (r.status === 'FAILED')
    return <Text className='redemption__note redemption__note--failed'>{`充值失败，${r.pointsRefunded} 积分已退回${r.failReason ? `（${r.failReason}）` : ''}`}</Text>;
  if (r.status === 'USED')
    return <Text className='redemption__note'>{`已于 ${r.usedAt ? formatDateTime(r.usedAt) : ''} 在${r.usedStoreName ?? '门店'}使用`}</Text>;
  return null;
}

function VoucherCard({ r, code }: { r: Redemption; code: string }) {
  const src = useMemo(() => qrDataUrl(code), [code]);
  return (
    <View className='card redemption__voucher'>
      <Text className='card__title'>到店出示券码</Text>
      <Image className='redemption__qr' src={src} mode='scaleToFill' data-code={code} />
      {/* As the API sends it (already grouped XXXX XXXX XXXX): formatting it again regrouped it. */}
      <Text className='redemption__code'>{code}</Text>
      {r.voucherExpiresAt ? <Text className='muted redemption__line'>{`有效期至 ${formatDateTime(r.voucherExpiresAt)}`}</Text> : null}
      {r.cashFen > 0 ? <Text className='muted redemption__line'>{`使用时另付 ¥${yuan(r.cashFen)}`}</Text> : null}
    </View>
  );
}
