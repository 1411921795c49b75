import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Picker, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { apiError, toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { refreshViewer } from '../../state/auth';
import { isStaff, useSession } from '../../state/session';
import { useStore } from '../../state/store';
import { lookUpMember, TILL_REWARD_PAGE, tillMember, useTillStore, type Store } from '../../state/till';
import { TillMemberPanel } from '../../components/till-member';
import { CAN_SCAN, scanMemberCode } from '../../utils/scan';
import './index.css';

/**
 * The till (staff only): scan a member's code (a text field stands in on H5), see the member, then record a
 * purchase, deduct points or redeem a catalogue reward for the member; or collect a WeChat Pay payment (收款). The heavy pages live in the `staff` subpackage.
 */
export default function TillPage() {
  const { token, viewer } = useSession();
  const { stores, store, choose } = useTillStore();
  const current = useStore(tillMember);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const state = !token
    ? { data: null, error: apiError('UNAUTHENTICATED'), loading: false }
    : !isStaff(viewer)
      ? { data: null, error: apiError('FORBIDDEN'), loading: false, refetch: () => refreshViewer().then(() => undefined) }
      : { data: store as Store, error: null, loading: false, refetch: () => refreshViewer().then(() => undefined) };

  const lookUp = async (text: string) => {
    const value = text.trim();
    if (!store) return;
    if (!value) {
      setError(apiError('CODE_INVALID'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await lookUpMember(value, store.id);
      setCode('');
    } catch (e) {
      tillMember.set(null);
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    const text = await scanMemberCode();
    if (text) await lookUp(text);
  };

  const memberHere = current && store && current.storeId === store.id ? current : null;

  return (
    <PageShell state={state} tab='till' loginHint='店员登录后使用收银台'>
      {(s) => (
        <View className='till'>
          <View className='card row'>
            <Text className='till__store'>{s.name}</Text>
            {stores.length > 1 ? (
              <Picker mode='selector' range={stores.map((x) => x.name)} onChange={(e) => choose(stores[Number(e.detail.value)]?.id ?? s.id)}>
                <Text className='till__switch'>切换门店</Text>
              </Picker>
            ) : (
              <Text className='muted'>{s.regionName}</Text>
            )}
          </View>
          <View className='card'>
            <Text className='card__title'>识别会员</Text>
            {CAN_SCAN ? (
              <Button className='till__scan' type='primary' block loading={busy} onClick={() => void scan()}>
                扫描会员码
              </Button>
            ) : null}
            <View className='till__manual'>
              <Input
                className='till__input'
                value={code}
                placeholder={CAN_SCAN ? '或输入会员码' : '输入或粘贴会员码，如 QZ1.10000042.123456'}
                confirmType='search'
                onInput={(e) => setCode(e.detail.value)}
                onConfirm={(e) => void lookUp(e.detail.value)}
              />
              <Button className='till__lookup' type='primary' fill='outline' loading={busy && !CAN_SCAN} onClick={() => void lookUp(code)}>
                查询
              </Button>
            </View>
            <ErrorNotice error={error} />
          </View>
          {memberHere ? (
            <>
              <TillMemberPanel />
              <View className='till__actions'>
                <Button type='primary' onClick={() => void Taro.navigateTo({ url: '/staff/purchase/index' })}>
                  记录消费
                </Button>
                <Button type='primary' fill='outline' onClick={() => void Taro.navigateTo({ url: '/staff/redeem/index' })}>
                  扣减积分
                </Button>
                <Button type='primary' fill='outline' onClick={() => void Taro.navigateTo({ url: TILL_REWARD_PAGE })}>
                  兑换礼品
                </Button>
              </View>
            </>
          ) : (
            <Text className='muted till__hint'>请顾客打开会员卡，扫描其会员码</Text>
          )}
          <View className='card till__recent' onClick={() => void Taro.navigateTo({ url: '/staff/collect/index' })}>
            <Text>收款 · 顾客扫码微信支付</Text>
            <Text className='muted'>›</Text>
          </View>
          <View className='card till__recent' onClick={() => void Taro.navigateTo({ url: '/staff/voucher/index' })}>
            <Text>核销券 · 扫描或输入券码</Text>
            <Text className='muted'>›</Text>
          </View>
          <View className='card till__recent' onClick={() => void Taro.navigateTo({ url: '/staff/operations/index' })}>
            <Text>本店最近操作</Text>
            <Text className='muted'>›</Text>
          </View>
        </View>
      )}
    </PageShell>
  );
}
