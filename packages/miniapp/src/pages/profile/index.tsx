import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button as TaroButton, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { bindPhone, signOut } from '../../state/auth';
import { useMe } from '../../state/member';
import { isManager, isStaff, useSession, type Viewer } from '../../state/session';
import { useOpenLowCount } from '../../state/ratings';
import { useUnreadCount } from '../../state/inbox';
import { CAN_SCAN, scanQrText } from '../../utils/scan';
import { consoleTicketFromQr } from '@quanzi/shared';
import { demoPhoneCode, PHONE_BUTTON } from '../../utils/phone';
import './index.css';

const roleName: Record<string, string> = { STAFF: '店员', ORGANIZER: '组织者', MANAGER: '经理' };
/** Who the signed-in user is, at a glance: 经理 > 组织者 > 店员 (every role they hold), else 会员. */
const ROLE_ORDER = ['MANAGER', 'ORGANIZER', 'STAFF'];
export function identityText(viewer: Viewer | null): string {
  const held = ROLE_ORDER.filter((r) => viewer?.roles.some((x) => x.role === r));
  return held.length ? held.map((r) => roleName[r]).join('、') : '会员';
}
const scopeName: Record<string, string> = { STORE: '门店', REGION: '区域', HQ: '总部' };

function rolesText(viewer: Viewer | null): string | null {
  if (!viewer || viewer.roles.length === 0) return null;
  return viewer.roles.map((r) => `${scopeName[r.scope] ?? r.scope}${roleName[r.role] ?? r.role}`).join('、');
}

/** Profile: member number, tier, phone binding (WeChat getPhoneNumber), my orders, roles, sign-out. */
export default function ProfilePage() {
  const me = useMe();
  const { viewer } = useSession();
  const openLow = useOpenLowCount(isManager(viewer)).data?.serviceRatings.total ?? 0;
  const unread = useUnreadCount({ skip: !viewer }).data?.myUnreadNotificationCount ?? 0;
  const [binding, setBinding] = useState(false);
  const [bindError, setBindError] = useState<ApiError | null>(null);

  const bindWith = async (getCode: () => Promise<string>) => {
    setBinding(true);
    setBindError(null);
    try {
      await bindPhone(await getCode());
      await me.refetch();
      void Taro.showToast({ title: '手机号已绑定', icon: 'success' });
    } catch (e) {
      setBindError(toApiError(e));
    } finally {
      setBinding(false);
    }
  };

  const onGetPhoneNumber = (e: { detail: { code?: string; errMsg?: string } }) => {
    const code = e.detail?.code;
    if (!code) {
      setBindError(null);
      void Taro.showToast({ title: '未授权手机号', icon: 'none' });
      return;
    }
    void bindWith(async () => code);
  };

  const roles = rolesText(viewer);

  return (
    <PageShell state={me} tab='profile' loginHint='登录后管理你的会员资料'>
      {({ me: m }) => (
        <View className='profile'>
          <View className='card'>
            <Text className='card__title'>会员信息</Text>
            <View className='profile__line'>
              <Text className='muted'>会员号</Text>
              <Text>{m.memberNo}</Text>
            </View>
            <View className='profile__line'>
              <Text className='muted'>身份</Text>
              <Text className='profile__identity'>{identityText(viewer)}</Text>
            </View>
            <View className='profile__line'>
              <Text className='muted'>会员等级</Text>
              <Text>{m.tier.name}</Text>
            </View>
            <View className='profile__line'>
              <Text className='muted'>手机号</Text>
              {m.phoneBound ? <Text className='profile__phone'>{m.phone ?? '已绑定'}</Text> : <Text className='muted'>未绑定</Text>}
            </View>
            {!m.phoneBound ? (
              <View className='profile__bind'>
                {PHONE_BUTTON ? (
                  <TaroButton className='profile__bind-button' openType='getPhoneNumber' onGetPhoneNumber={onGetPhoneNumber} disabled={binding}>
                    {binding ? '绑定中…' : '绑定手机号'}
                  </TaroButton>
                ) : (
                  <Button type='primary' block loading={binding} onClick={() => void bindWith(demoPhoneCode)}>
                    绑定手机号（演示）
                  </Button>
                )}
                <Text className='muted profile__bind-hint'>绑定后可接收积分到账与过期提醒</Text>
              </View>
            ) : null}
            <ErrorNotice error={bindError} />
          </View>
          <View className='card'>
            <View className='profile__link profile__inbox' onClick={() => void Taro.navigateTo({ url: '/member/inbox/index' })}>
              <Text>消息</Text>
              <Text className={unread > 0 ? 'profile__badge' : 'muted'}>{unread > 0 ? `${unread} 条未读 ›` : '›'}</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/member/orders/index' })}>
              <Text>我的订单</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/rewards/mine/index' })}>
              <Text>我的兑换</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/rewards/coupons/index' })}>
              <Text>我的优惠券</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/pages/event/mine/index' })}>
              <Text>我的活动</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/pages/club/discover/index' })}>
              <Text>圈子</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/member/rate/index' })}>
              <Text>服务评价</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/member/invite/index' })}>
              <Text>邀请好友</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/member/tier/index' })}>
              <Text>会员等级与权益</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/member/expiring/index' })}>
              <Text>即将过期的积分</Text>
              <Text className='muted'>›</Text>
            </View>
            {CAN_SCAN && isManager(viewer) ? (
              <View className='profile__link profile__console' onClick={() => void scanConsoleLogin()}>
                <Text>扫码登录管理后台</Text>
                <Text className='muted'>›</Text>
              </View>
            ) : null}
            {isStaff(viewer) ? (
              <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/staff/operations/index' })}>
                <Text>本店最近操作</Text>
                <Text className='muted'>›</Text>
              </View>
            ) : null}
            {isManager(viewer) ? (
              <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/manager/dashboard/index' })}>
                <Text>经营看板</Text>
                <Text className='muted'>›</Text>
              </View>
            ) : null}
            {isManager(viewer) ? (
              <View className='profile__link' onClick={() => void Taro.navigateTo({ url: '/manager/ratings/index' })}>
                <Text>差评跟进</Text>
                <Text className={openLow > 0 ? 'profile__badge' : 'muted'}>{openLow > 0 ? `${openLow} 条待处理 ›` : '›'}</Text>
              </View>
            ) : null}
          </View>
          {roles ? (
            <View className='card'>
              <Text className='card__title'>工作身份</Text>
              <Text className='profile__roles'>{roles}</Text>
            </View>
          ) : null}
          <Button block fill='outline' onClick={() => { signOut(); void Taro.reLaunch({ url: '/pages/login/index' }); }}>
            退出登录
          </Button>
        </View>
      )}
    </PageShell>
  );
}

/** Managers: scan the console's sign-in QR, then confirm on the console-login page (nothing is approved by the scan). */
async function scanConsoleLogin(): Promise<void> {
  const text = await scanQrText();
  if (text === null) return;
  const ticket = consoleTicketFromQr(text);
  if (!ticket) return void Taro.showToast({ title: '这不是管理后台的登录二维码', icon: 'none' });
  await Taro.navigateTo({ url: `/staff/console-login/index?ticket=${ticket}` });
}
