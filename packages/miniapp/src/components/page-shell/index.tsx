import { type ReactNode, useRef } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ApiError } from '../../api/errors';
import { IS_H5 } from '../../env';
import { PrivacySheet } from '../privacy-sheet';
import { RoleTabBar } from '../tab-bar';
import { goBackOrHome, PageHeader } from './page-header';
import { currentTab, type TabKey } from '../../state/tabs';
import { PRIVACY_CHECK } from '../../utils/privacy';
import { LOGIN_PERSONAS } from '../../utils/wx-login';
import { PersonaPicker } from '../persona-picker';
import './index.css';

export const LOGIN_PAGE = '/pages/login/index';

/** What a page shows: the shape every data hook returns. */
export interface ShellState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  refreshing?: boolean;
  /** data is an offline copy */
  stale?: boolean;
  refetch?(): Promise<void>;
}

export interface PageShellProps<T> {
  state: ShellState<T>;
  children(data: T): ReactNode;
  /** When the data counts as empty (shows `empty` instead of the content). */
  isEmpty?(data: T): boolean;
  empty?: { title: string; description?: string; action?: ReactNode };
  /** A tab page: marks the tab as current and, on H5, draws the tab bar. */
  tab?: TabKey;
  /** Shown above the sign-in button when the page needs a signed-in user. */
  loginHint?: string;
  /** Re-fetch quietly whenever the page is shown again (e.g. points after a purchase). */
  refetchOnShow?: boolean;
  /** What NOT_FOUND means on this page (e.g. 活动不存在或已删除): shown with a way back instead of a useless retry. */
  notFoundTitle?: string;
  /** H5 header title of a page below the tabs; defaults to the page's navigationBarTitleText. */
  title?: string;
  /** The page's own controls (category tabs, filters, a check-in panel): under the H5 header, shown in every state. */
  above?: ReactNode;
}

/** The state of a page that loads nothing first (a form): PageShell then only frames it (H5 header, privacy sheet). */
export const READY: ShellState<true> = { data: true, error: null, loading: false };

/** A full-page status: spinner, message, optional action (`success`: a tick). Exported for pages' own sub-states. */
export function StatusView(props: { kind: 'loading' | 'error' | 'empty' | 'login' | 'success'; title: string; description?: string; action?: ReactNode }) {
  return (
    <View className={`page-shell__status page-shell__${props.kind}`}>
      {props.kind === 'loading' ? <View className='page-shell__spinner' /> : <View className={`page-shell__glyph page-shell__glyph--${props.kind}`} />}
      <Text className='page-shell__title'>{props.title}</Text>
      {props.description ? <Text className='page-shell__description'>{props.description}</Text> : null}
      {props.action ? <View className='page-shell__action'>{props.action}</View> : null}
    </View>
  );
}

/** An inline error line (e.g. under a form, or a failed refresh above the content). */
export function ErrorNotice({ error, onRetry, offline }: { error: ApiError | null | undefined; onRetry?: () => void; offline?: boolean }) {
  if (!error) return null;
  return (
    <View className='error-notice' role='alert'>
      <Text className='error-notice__text'>{offline ? `${error.message}（当前显示离线数据）` : error.message}</Text>
      {onRetry ? (
        <Text className='error-notice__retry' onClick={onRetry}>
          重试
        </Text>
      ) : null}
    </View>
  );
}

export function goToLogin(): void {
  void Taro.navigateTo({ url: LOGIN_PAGE }).catch(() => Taro.reLaunch({ url: LOGIN_PAGE }));
}

/**
 * The one page frame: loading, error, empty and sign-in states, pull-to-refresh, and the tab bar on tab pages.
 * Every error shows its Chinese message (codes mapped through shared's errorMessageZh). On weapp it also hosts the
 * privacy consent sheet (components/privacy-sheet), so every page can answer WeChat's onNeedPrivacyAuthorization.
 */
export function PageShell<T>(props: PageShellProps<T>) {
  const { state, tab } = props;
  const shownOnce = useRef(false);

  usePullDownRefresh(() => {
    void (state.refetch?.() ?? Promise.resolve()).finally(() => Taro.stopPullDownRefresh());
  });

  useDidShow(() => {
    if (tab) currentTab.set(tab);
    if (shownOnce.current && props.refetchOnShow) void state.refetch?.();
    shownOnce.current = true;
  });

  let body: ReactNode;
  if (state.data !== null && state.data !== undefined) {
    const data = state.data;
    const empty = props.isEmpty?.(data) ?? false;
    body = (
      <>
        {state.error ? (
          <ErrorNotice error={state.error} offline={state.stale} onRetry={state.refetch ? () => void state.refetch?.() : undefined} />
        ) : null}
        {empty ? (
          <StatusView kind='empty' title={props.empty?.title ?? '暂无内容'} description={props.empty?.description} action={props.empty?.action} />
        ) : (
          <View className='page-shell__content'>{props.children(data)}</View>
        )}
      </>
    );
  } else if (state.loading) {
    body = <StatusView kind='loading' title='加载中…' />;
  } else if (state.error?.code === 'UNAUTHENTICATED' && LOGIN_PERSONAS) {
    // The H5 demo: pick a persona right here instead of a "请先登录" dead end.
    body = <StatusView kind='login' title='选择演示身份' description={props.loginHint ?? '登录后查看你的会员信息'} action={<PersonaPicker />} />;
  } else if (state.error?.code === 'UNAUTHENTICATED') {
    body = (
      <StatusView
        kind='login'
        title='请先登录'
        description={props.loginHint ?? '登录后查看你的会员信息'}
        action={
          <Button type='primary' onClick={goToLogin}>
            去登录
          </Button>
        }
      />
    );
  } else if (state.error?.code === 'NOT_FOUND') {
    // Retrying cannot bring back what does not exist: say so and offer the way back.
    body = (
      <StatusView
        kind='error'
        title={props.notFoundTitle ?? state.error.message}
        action={
          <Button type='primary' fill='outline' onClick={goBackOrHome}>
            返回
          </Button>
        }
      />
    );
  } else if (state.error) {
    body = (
      <StatusView
        kind='error'
        title={state.error.message}
        description='下拉或点击重试'
        action={
          state.refetch ? (
            <Button type='primary' fill='outline' onClick={() => void state.refetch?.()}>
              重试
            </Button>
          ) : undefined
        }
      />
    );
  } else {
    body = <StatusView kind='empty' title={props.empty?.title ?? '暂无内容'} description={props.empty?.description} action={props.empty?.action} />;
  }

  return (
    <View className={`page-shell${tab ? ' page-shell--tab' : ''}`}>
      {!tab && IS_H5 ? <PageHeader title={props.title} /> : null}
      {props.above}
      {body}
      {tab && IS_H5 ? <RoleTabBar current={tab} /> : null}
      {PRIVACY_CHECK ? <PrivacySheet /> : null}
    </View>
  );
}
