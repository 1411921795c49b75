import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { rewardTarget } from '@quanzi/shared';
import { apiError, toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell, StatusView } from '../../components/page-shell';
import { noTillMember, TillMemberPanel } from '../../components/till-member';
import { priceText, redemptionStatusLabel, type Reward } from '../../state/rewards';
import { useStore } from '../../state/store';
import {
  newIdempotencyKey,
  redeemRewardAtTill,
  requestTillRewardOtp,
  tillMember,
  useTillRewards,
  type TillMember,
  type TillRewardOtp,
  type TillRewardResult,
} from '../../state/till';
import { yuan } from '../../utils/format';
import './index.css';

/** Why the reward cannot be offered to this member, in Chinese (null = may try; the tier lock is the API's). */
function blocker(r: Reward, points: number): string | null {
  if (!r.inStock) return '已兑完';
  if (points < r.pointsPrice) return `积分不足，还差 ${r.pointsPrice - points}`;
  return null;
}

interface Confirming {
  reward: Reward;
  target: string | null;
  /** One per confirmation: every retry of it (with the one-time code too) reuses it, so it redeems once. */
  key: string;
  otp: TillRewardOtp | null;
}

/**
 * Staff redeem a catalogue reward for the scanned member (the mall's rules: stock, limits, tier, one-time code):
 * pick a reward, confirm, and for a high-value reward send the code to the member's bound phone and type what the
 * member reads out. The result shows the voucher code to hand over, or that a top-up is on its way.
 */
export default function TillRewardPage() {
  const current = useStore(tillMember);
  const rewards = useTillRewards();
  const [input, setInput] = useState('');
  const [otp, setOtp] = useState('');
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<TillRewardResult | null>(null);

  const state = !current ? { data: null, error: null, loading: false } : rewards.data ? { ...rewards, data: { m: current, list: rewards.data.rewards } } : { ...rewards, data: null };

  const pick = (r: Reward) => {
    const t = rewardTarget(r, input, null);
    if ('error' in t) return setError(apiError(t.error));
    setError(null);
    setOtp('');
    setConfirming({ reward: r, target: t.target, key: newIdempotencyKey('till-reward'), otp: null });
  };

  const sendOtp = async (m: TillMember, c: Confirming) => {
    try {
      const sent = await requestTillRewardOtp({ tillTicket: m.member.tillTicket, storeId: m.storeId, rewardId: c.reward.id, target: c.target });
      setConfirming({ ...c, otp: sent });
    } catch (e) {
      setError(toApiError(e));
    }
  };

  const submit = async (m: TillMember, c: Confirming) => {
    if (c.otp && !/^\d{6}$/.test(otp.trim())) return setError(apiError('OTP_REQUIRED'));
    setBusy(true);
    setError(null);
    try {
      const res = await redeemRewardAtTill({ tillTicket: m.member.tillTicket, storeId: m.storeId, rewardId: c.reward.id, target: c.target, otp: c.otp ? otp.trim() : null, idempotencyKey: c.key });
      tillMember.set({ ...m, member: { ...m.member, points: res.balance } });
      setDone(res);
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'OTP_REQUIRED' && !c.otp) await sendOtp(m, c);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell
      state={state}
      empty={noTillMember()}
    >
      {({ m, list }) => {
        if (done) {
          const d = done.redemption;
          return (
            <View className='till-reward'>
              <StatusView kind='empty' title={`已为会员 ${done.memberNo} 兑换「${d.rewardName}」`} description={`扣 ${d.points} 积分，剩余 ${done.balance} 积分 · ${redemptionStatusLabel[d.status] ?? d.status}`} />
              {d.voucherCode ? <Text className='till-reward__code'>{d.voucherCode}</Text> : null}
              {d.voucherCode ? <Text className='muted till-reward__line'>券码已发到会员的「我的兑换」</Text> : null}
              <Button type='primary' block onClick={() => void Taro.navigateBack()}>
                完成
              </Button>
            </View>
          );
        }
        if (confirming) {
          const r = confirming.reward;
          return (
            <View className='till-reward'>
              <TillMemberPanel />
              <View className='card till-reward__confirm'>
                <Text className='card__title'>请与会员确认兑换</Text>
                <Text className='till-reward__line'>{`${r.name} · ${priceText(r, yuan)}`}</Text>
                {r.kind === 'MOBILE_TOPUP' ? <Text className='till-reward__line'>{`充值号码：${confirming.target ?? '会员绑定的手机'}`}</Text> : null}
                {r.kind === 'FUEL_CARD' ? <Text className='till-reward__line'>{`加油卡号：${confirming.target ?? ''}`}</Text> : null}
                <Text className='muted till-reward__line'>{`兑换后剩余 ${m.member.points - r.pointsPrice} 积分`}</Text>
                {confirming.otp ? (
                  <View>
                    <Text className='till-reward__line'>{`验证码已发送至会员手机 ${confirming.otp.sentTo}，请会员告知`}</Text>
                    <Input className='till-reward__input till-reward__otp' type='number' maxlength={6} value={otp} placeholder='6 位验证码' onInput={(e) => { setOtp(e.detail.value); setError(null); }} />
                    <Text className='till-reward__line' onClick={() => void sendOtp(m, confirming)}>
                      重新发送验证码
                    </Text>
                  </View>
                ) : r.needsOtp ? (
                  <Text className='muted till-reward__line'>需会员手机验证码</Text>
                ) : null}
                <ErrorNotice error={error} />
                <Button type='primary' block loading={busy} disabled={busy} onClick={() => void submit(m, confirming)}>
                  确认兑换
                </Button>
                <Button block fill='none' disabled={busy} onClick={() => { setConfirming(null); setError(null); }}>
                  返回
                </Button>
              </View>
            </View>
          );
        }
        return (
          <View className='till-reward'>
            <TillMemberPanel />
            <View className='card'>
              <Text className='card__title'>选择礼品</Text>
              <Input className='till-reward__input till-reward__target' type='number' maxlength={19} value={input} placeholder='话费：充值号码（留空为会员绑定手机）；加油卡：卡号' onInput={(e) => { setInput(e.detail.value); setError(null); }} />
              <ErrorNotice error={error} />
              {list.length === 0 ? <Text className='muted till-reward__line'>暂无可兑换的礼品</Text> : null}
              {list.map((r) => {
                const blocked = blocker(r, m.member.points);
                return (
                  <View key={r.id} className={`till-reward__item${blocked ? ' till-reward__item--off' : ''}`} onClick={() => (blocked ? undefined : pick(r))}>
                    <View>
                      <Text className='till-reward__line'>{r.name}</Text>
                      <Text className='muted till-reward__line'>
                        {[priceText(r, yuan), r.minTier ? `${r.minTier.name}及以上` : null, r.needsOtp ? '需验证码' : null].filter(Boolean).join(' · ')}
                      </Text>
                    </View>
                    <Text className='muted'>{blocked ?? '兑换 ›'}</Text>
                  </View>
                );
              })}
            </View>
          </View>
        );
      }}
    </PageShell>
  );
}
