import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Picker, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ClubQuery, JoinPolicy } from '@quanzi/shared/graphql';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { clubUrl, createClub, defaultClubStoreId, joinPolicyLabel, resetClubInviteCode, updateClub, useClub } from '../../state/club';
import { useTiers } from '../../state/member';
import { useSession } from '../../state/session';
import { isShowableImage } from '../../components/picture';
import '../../components/club-ui/index.css';

type Club = ClubQuery['club'];

/**
 * Organizers and managers: create a club (no parameter) or edit one (`?id=`) — name, theme, description, join policy
 * (with the lowest tier for TIER_MIN), member cap, cover image — then open the club page. INVITE clubs show their
 * invitation code with 重置邀请码. Texts pass WeChat content security on the API (CONTENT_REJECTED otherwise).
 */
export default function ClubEditPage() {
  const id = useRouter()?.params?.id ?? null;
  const club = useClub(id);
  if (!id) return <ClubForm club={null} />;
  return (
    <PageShell state={club} loginHint='登录后编辑圈子' empty={{ title: '找不到这个圈子' }}>
      {({ club: c }) => <ClubForm club={c} />}
    </PageShell>
  );
}

export const JOIN_POLICIES: readonly JoinPolicy[] = ['OPEN', 'APPROVAL', 'TIER_MIN', 'INVITE'];
const MAX_CAP = 100_000;

export interface ClubFormValues {
  name: string;
  theme: string;
  description: string;
  joinPolicy: JoinPolicy;
  minTierCode: string;
  memberCap: string;
  coverUrl: string;
}

function initial(c: Club | null): ClubFormValues {
  return {
    name: c?.name ?? '',
    theme: c?.theme ?? '',
    description: c?.description ?? '',
    joinPolicy: c?.joinPolicy ?? 'OPEN',
    minTierCode: c?.minTier?.code ?? '',
    memberCap: c?.memberCap ? String(c.memberCap) : '',
    coverUrl: c?.coverUrl ?? '',
  };
}

export interface ClubFormInput {
  name: string;
  theme: string;
  description: string;
  joinPolicy: JoinPolicy;
  minTierCode: string | null;
  memberCap: number | null;
  coverUrl: string | null;
}

/** The form's input, or the first problem with it (in Chinese). `memberCount`: an existing club's members. */
export function validateClubForm(f: ClubFormValues, memberCount = 0): { ok: true; input: ClubFormInput } | { ok: false; problem: string } {
  const name = f.name.trim();
  const theme = f.theme.trim();
  const description = f.description.trim();
  if (!name) return { ok: false, problem: '请填写圈子名称' };
  if (name.length > 40) return { ok: false, problem: '名称不能超过 40 个字' };
  if (!theme) return { ok: false, problem: '请填写圈子主题' };
  if (theme.length > 32) return { ok: false, problem: '主题不能超过 32 个字' };
  if (description.length > 1000) return { ok: false, problem: '简介不能超过 1000 个字' };
  if (!JOIN_POLICIES.includes(f.joinPolicy)) return { ok: false, problem: '请选择加入方式' };
  if (f.joinPolicy === 'TIER_MIN' && !f.minTierCode) return { ok: false, problem: '请选择最低等级' };
  let memberCap: number | null = null;
  if (f.memberCap.trim()) {
    memberCap = /^\d{1,6}$/.test(f.memberCap.trim()) ? Number(f.memberCap.trim()) : NaN;
    if (!(memberCap >= 1 && memberCap <= MAX_CAP)) return { ok: false, problem: `人数上限应为 1–${MAX_CAP} 的整数，不限请留空` };
    if (memberCap < memberCount) return { ok: false, problem: `人数上限不能少于现有的 ${memberCount} 名成员` };
  }
  const coverUrl = f.coverUrl.trim();
  if (coverUrl && (coverUrl.length > 512 || !isShowableImage(coverUrl))) {
    return { ok: false, problem: '封面图链接应以 https:// 或 cloud:// 开头' };
  }
  return {
    ok: true,
    input: {
      name,
      theme,
      description,
      joinPolicy: f.joinPolicy,
      minTierCode: f.joinPolicy === 'TIER_MIN' ? f.minTierCode : null,
      memberCap,
      coverUrl: coverUrl || null,
    },
  };
}

function ClubForm({ club }: { club: Club | null }) {
  const { viewer } = useSession();
  const tiers = useTiers();
  const tierList = [...(tiers.data?.tiers ?? [])].sort((a, b) => a.rank - b.rank);
  const [f, setF] = useState<ClubFormValues>(() => initial(club));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [inviteCode, setInviteCode] = useState<string | null>(club?.inviteCode ?? null);
  const [resetting, setResetting] = useState(false);
  const update = (patch: Partial<ClubFormValues>) => {
    setF((s) => ({ ...s, ...patch }));
    setProblem(null);
    setError(null);
  };
  const set = (k: keyof ClubFormValues) => (e: { detail: { value: string } }) => update({ [k]: e.detail.value });

  const save = async () => {
    const v = validateClubForm(f, club?.memberCount ?? 0);
    if (!v.ok) {
      setProblem(v.problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = club ? await updateClub(club.id, v.input) : await createClub({ ...v.input, storeId: defaultClubStoreId(viewer) });
      void Taro.showToast({ title: club ? '已保存' : '圈子已创建', icon: 'success' });
      void Taro.redirectTo({ url: clubUrl(saved.id) }).catch(() => Taro.navigateTo({ url: clubUrl(saved.id) }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const reset = async () => {
    if (!club) return;
    const ok = await Taro.showModal({ title: '重置邀请码', content: '重置后旧邀请码立即失效，确定重置吗？', confirmText: '重置' })
      .then((r) => r.confirm)
      .catch(() => false);
    if (!ok) return;
    setResetting(true);
    setError(null);
    try {
      setInviteCode(await resetClubInviteCode(club.id));
      void Taro.showToast({ title: '邀请码已重置', icon: 'success' });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setResetting(false);
    }
  };

  const field = (k: 'name' | 'theme' | 'memberCap' | 'coverUrl', label: string, placeholder: string, type: 'text' | 'number' = 'text') => (
    <View>
      <Text className='club-label'>{label}</Text>
      <Input className={`club-input club-edit__${k}`} type={type} value={f[k]} placeholder={placeholder} onInput={set(k)} />
    </View>
  );
  const policyIndex = Math.max(0, JOIN_POLICIES.indexOf(f.joinPolicy));
  const tierIndex = Math.max(0, tierList.findIndex((t) => t.code === f.minTierCode));
  const chosenTier = tierList.find((t) => t.code === f.minTierCode);

  return (
    <View className='club-edit'>
      <View className='card'>
        <Text className='card__title'>{club ? '编辑圈子' : '创建圈子'}</Text>
        {field('name', '名称', '如：国贸咖啡俱乐部')}
        {field('theme', '主题', '如：咖啡、跑步、读书')}
        <Text className='club-label'>简介</Text>
        <Textarea className='club-textarea club-edit__description' value={f.description} maxlength={1000} placeholder='圈子做什么、适合谁' onInput={set('description')} />
        <Text className='club-label'>加入方式</Text>
        <Picker
          mode='selector'
          className='club-edit__policy'
          range={JOIN_POLICIES.map((p) => joinPolicyLabel[p] ?? p)}
          value={policyIndex}
          onChange={(e) => update({ joinPolicy: JOIN_POLICIES[Number(e.detail.value)] ?? 'OPEN' })}
        >
          <View className='row club-input'>
            <Text>{joinPolicyLabel[f.joinPolicy] ?? f.joinPolicy}</Text>
            <Text className='muted'>▾</Text>
          </View>
        </Picker>
        {f.joinPolicy === 'TIER_MIN' ? (
          <View>
            <Text className='club-label'>最低等级</Text>
            {tierList.length ? (
              <Picker mode='selector' className='club-edit__tier' range={tierList.map((t) => t.name)} value={tierIndex} onChange={(e) => update({ minTierCode: tierList[Number(e.detail.value)]?.code ?? '' })}>
                <View className='row club-input'>
                  <Text>{chosenTier ? `${chosenTier.name}及以上` : '选择等级'}</Text>
                  <Text className='muted'>▾</Text>
                </View>
              </Picker>
            ) : (
              <Text className='club-note'>{tiers.error ? tiers.error.message : '正在加载等级…'}</Text>
            )}
          </View>
        ) : null}
        {field('memberCap', '人数上限（可选，留空不限）', '如：50', 'number')}
        {field('coverUrl', '封面图链接（可选）', 'https://…')}
        {problem ? <Text className='club-note club-edit__problem'>{problem}</Text> : null}
        <ErrorNotice error={error} />
        <View className='club-actions'>
          <Button type='primary' loading={busy} onClick={() => void save()}>
            {club ? '保存修改' : '创建圈子'}
          </Button>
        </View>
      </View>
      {club && club.joinPolicy === 'INVITE' ? (
        <View className='card club-edit__invite'>
          <Text className='card__title'>邀请码</Text>
          <Text className='club-big club-edit__code'>{inviteCode ?? '—'}</Text>
          <Text className='club-item__line muted'>把邀请码发给想加入的人；重置后旧邀请码失效。</Text>
          <View className='club-actions'>
            <Button size='small' fill='outline' loading={resetting} onClick={() => void reset()}>
              重置邀请码
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  );
}
