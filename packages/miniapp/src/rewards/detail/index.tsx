import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { rewardTarget } from '@quanzi/shared';
import { apiError, toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, goToLogin, PageShell } from '../../components/page-shell';
import { RewardFacts } from '../../components/reward-ui';
import { useMe, type Member } from '../../state/member';
import { newRedeemKey, priceText, redeemReward, redemptionUrl, requestRewardOtp, tierLocked, useReward, type Reward, type RewardOtp } from '../../state/rewards';
import { useSession } from '../../state/session';
import { yuan } from '../../utils/format';
import { Picture } from '../../components/picture';
import './index.css';

/** What stops the member from redeeming, in Chinese (null = may try). */
function blocker(r: Reward, member: Member | null): string | null {
  if (!r.inStock) return '已兑完';
  if (member && tierLocked(r, member.tier.rank)) return `${r.minTier?.name ?? ''}及以上会员可兑换`;
  if (member && member.points < r.pointsPrice) return `积分不足，还差 ${r.pointsPrice - member.points} 积分`;
  return null;
}

interface Confirming {
  target: string | null;
  /** Made once when the member opens the confirmation; every retry of it (e.g. with the one-time code) reuses it. */
  key: string;
  otp: RewardOtp | null;
}

/**
 * A reward and its redemption: the target (top-ups: the bound phone unless another is typed; fuel cards: the card
 * number), a confirmation, then `redeemReward`. When the API answers OTP_REQUIRED the code is requested
 * (`requestRewardOtp`) and the same confirmation is resubmitted with it. `?id=`.
 */
export default function RewardDetailPage() {
  const id = useRouter()?.params?.id ?? null;
  const reward = useReward(id);
  const state = id ? reward : { data: null, error: apiError('NOT_FOUND'), loading: false };
  const { token } = useSession();
  const me = useMe();
  const member = token ? me.data?.me ?? null : null;

  const [input, setInput] = useState('');
  const [otp, setOtp] = useState('');
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const open = (r: Reward) => {
    if (!token) return goToLogin();
    const t = rewardTarget(r, input, member ? member.phoneBound : null);
    if ('error' in t) return setError(apiError(t.error));
    setError(null);
    setOtp('');
    setConfirming({ target: t.target, key: newRedeemKey(), otp: null });
  };

  const sendOtp = async (r: Reward, c: Confirming) => {
    try {
      const sent = await requestRewardOtp(r.id, c.target);
      setConfirming({ ...c, otp: sent });
    } catch (e) {
      setError(toApiError(e));
    }
  };

  const submit = async (r: Reward, c: Confirming) => {
    if (c.otp && !/^\d{6}$/.test(otp.trim())) return setError(apiError('OTP_REQUIRED'));
    setBusy(true);
    setError(null);
    try {
      const res = await redeemReward({ rewardId: r.id, target: c.target, idempotencyKey: c.key, otp: c.otp ? otp.trim() : null });
      void Taro.redirectTo({ url: redemptionUrl(res.redemption.id) });
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'OTP_REQUIRED' && !c.otp) {
        await sendOtp(r, c);
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell state={state}>
      {({ reward: r }) => {
        const blocked = blocker(r, member);
        return (
          <View className='reward'>
            <View className='card'>
              <Picture src={r.imageUrl} name={r.brandName ?? r.name} tone={r.kind} size='banner' />
              <Text className='reward__name'>{r.name}</Text>
              {r.brandName ? <Text className='muted reward__brand'>{r.brandName}</Text> : null}
              <RewardFacts reward={r} tierRank={member?.tier.rank ?? null} />
              {r.description ? <Text className='reward__desc'>{r.description}</Text> : null}
              {r.voucherValidDays ? <Text className='muted reward__line'>{`兑换后 ${r.voucherValidDays} 天内有效`}</Text> : null}
              {r.cashFen > 0 ? <Text className='muted reward__line'>{`到店使用时另付 ¥${yuan(r.cashFen)}`}</Text> : null}
              {r.needsOtp ? <Text className='muted reward__line'>兑换需短信验证码</Text> : null}
            </View>

            {confirming ? (
              <View className='card reward__confirm'>
                <Text className='card__title'>请确认兑换信息</Text>
                <Text className='reward__line'>{`${r.name} · ${priceText(r, yuan)}`}</Text>
                {r.kind === 'MOBILE_TOPUP' ? <Text className='reward__line'>{`充值号码：${confirming.target ?? `绑定手机 ${member?.phone ?? ''}`}`}</Text> : null}
                {r.kind === 'FUEL_CARD' ? <Text className='reward__line'>{`加油卡号：${confirming.target ?? ''}`}</Text> : null}
                {member ? <Text className='muted reward__line'>{`兑换后剩余 ${member.points - r.pointsPrice} 积分`}</Text> : null}
                {confirming.otp ? (
                  <View className='reward__otp'>
                    <Text className='reward__line'>{`验证码已发送至 ${confirming.otp.sentTo}`}</Text>
                    <Input className='reward__input reward__otp-input' type='number' maxlength={6} value={otp} placeholder='6 位验证码' onInput={(e) => { setOtp(e.detail.value); setError(null); }} />
                    <Text className='reward__resend' onClick={() => void sendOtp(r, confirming)}>
                      重新获取验证码
                    </Text>
                  </View>
                ) : null}
                <ErrorNotice error={error} />
                <Button type='primary' block loading={busy} disabled={busy} onClick={() => void submit(r, confirming)}>
                  确认兑换
                </Button>
                <Button className='reward__cancel' block fill='none' disabled={busy} onClick={() => { setConfirming(null); setError(null); }}>
                  取消
                </Button>
              </View>
            ) : (
              <View className='card'>
                {r.kind === 'MOBILE_TOPUP' ? (
                  <Input className='reward__input reward__target' type='number' maxlength={14} value={input} placeholder={member?.phoneBound ? `默认充值到绑定手机 ${member.phone ?? ''}` : '充值手机号'} onInput={(e) => { setInput(e.detail.value); setError(null); }} />
                ) : null}
                {r.kind === 'FUEL_CARD' ? (
                  <Input className='reward__input reward__target' type='number' maxlength={19} value={input} placeholder={r.brand === 'CNPC' ? '中国石油加油卡号（16 位）' : '中国石化加油卡号（19 位）'} onInput={(e) => { setInput(e.detail.value); setError(null); }} />
                ) : null}
                <ErrorNotice error={error} />
                <Button type='primary' block disabled={!!blocked} onClick={() => open(r)}>
                  {blocked ?? (token ? '立即兑换' : '登录后兑换')}
                </Button>
              </View>
            )}
          </View>
        );
      }}
    </PageShell>
  );
}
