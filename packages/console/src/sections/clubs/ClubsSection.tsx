import { useState } from 'react';
import { Alert, App, Button, Card, Popconfirm, Select, Space, Table, Tabs, Tag } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime, download, toCsv } from '../../format';
import { ClubEventReportDocument, ClubPeopleDocument, ClubReportDocument, SetClubOrganizerDocument, type ClubReportQuery } from '../../graphql/generated';
import { useScope, type Scope } from '../../scope';

type Row = ClubReportQuery['clubReport'][number];
const EVENT_STATUS_ZH: Record<string, string> = { DRAFT: '草稿', PUBLISHED: '已发布', CANCELLED: '已取消', FINISHED: '已结束' };
const JOIN_POLICY_ZH: Record<string, string> = { OPEN: '自由加入', APPROVAL: '需审核', TIER_MIN: '等级限制', INVITE: '邀请码' };

/** 0.8125 → 81.3%; null (no finished event with RSVPs) → —. */
export const rate = (r: number | null | undefined): string => (r == null ? '—' : `${(r * 100).toFixed(1)}%`);

/** Where the report looks: HQ (all), one of the manager's regions, or one of their stores. */
type Where = { regionId?: string; storeId?: string };
function places(scope: Scope): { value: string; label: string; where: Where }[] {
  return [
    ...(scope.hq ? [{ value: 'hq', label: '全部（总部）', where: {} }] : []),
    ...scope.regions.map((r) => ({ value: `r${r.id}`, label: `区域：${r.name}`, where: { regionId: r.id } })),
    ...scope.stores.map((s) => ({ value: `s${s.id}`, label: `门店：${s.name}`, where: { storeId: s.id } })),
  ];
}

/** A club: its events with RSVPs, attendance and no-shows; its members with the organizer grant. */
function ClubDetail({ club, onBack }: { club: Row['club']; onBack: () => void }) {
  const { message } = App.useApp();
  const events = useGql(ClubEventReportDocument, { clubId: club.id });
  const people = useGql(ClubPeopleDocument, { clubId: club.id });
  return (
    <Card title={`圈子 · ${club.name}`} extra={<Button onClick={onBack}>返回列表</Button>}>
      <Tabs
        items={[
          {
            key: 'events',
            label: '活动',
            children: (
              <>
                {events.error && <Alert type="error" title={events.error.zh} />}
                <Table
                  rowKey="eventId"
                  loading={events.loading}
                  dataSource={events.data?.clubEventReport ?? []}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  columns={[
                    { title: '活动', dataIndex: 'title' },
                    { title: '开始（北京）', dataIndex: 'startsAt', render: beijingTime },
                    { title: '状态', dataIndex: 'status', render: (s: string) => <Tag>{EVENT_STATUS_ZH[s] ?? s}</Tag> },
                    { title: '名额', dataIndex: 'capacity' },
                    { title: '已报名', dataIndex: 'confirmed' },
                    { title: '候补', dataIndex: 'waitlisted' },
                    { title: '取消', dataIndex: 'cancelled' },
                    { title: '到场', dataIndex: 'attended' },
                    { title: '现场加入', dataIndex: 'walkIns' },
                    { title: '到场率', dataIndex: 'attendanceRate', render: rate },
                    { title: '爽约率', dataIndex: 'noShowRate', render: rate },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'members',
            label: '成员与组织者',
            children: (
              <>
                {people.error && <Alert type="error" title={people.error.zh} />}
                <Table
                  rowKey="memberId"
                  loading={people.loading}
                  dataSource={people.data?.clubMembers ?? []}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  columns={[
                    { title: '会员号', dataIndex: 'memberNo' },
                    { title: '昵称', dataIndex: 'nickname', render: (v: string | null) => v ?? '—' },
                    { title: '等级', dataIndex: 'tierName' },
                    { title: '角色', dataIndex: 'role', render: (r: string) => (r === 'ORGANIZER' ? <Tag color="blue">组织者</Tag> : '成员') },
                    { title: '加入时间（北京）', dataIndex: 'since', render: beijingTime },
                    {
                      title: '组织者授权',
                      render: (_, p) => {
                        const organizer = p.role !== 'ORGANIZER';
                        return (
                          <Popconfirm
                            title={organizer ? `授予 ${p.memberNo} 本圈子的组织者权限？` : `撤销 ${p.memberNo} 的组织者权限？`}
                            okText="确认"
                            cancelText="取消"
                            onConfirm={async () => {
                              try {
                                await request(SetClubOrganizerDocument, { clubId: club.id, userId: p.userId, organizer });
                                message.success(organizer ? '已设为组织者' : '已撤销组织者');
                              } catch (e) {
                                message.error(errorZh(e));
                              }
                              void people.reload();
                            }}
                          >
                            <Button size="small">{organizer ? '设为组织者' : '撤销组织者'}</Button>
                          </Popconfirm>
                        );
                      },
                    },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** 圈子: the clubs of the scope with members, events, attendance and no-show rates (90 days); a club's events and organizers. */
export default function ClubsSection() {
  const scope = useScope();
  const options = places(scope);
  const [place, setPlace] = useState(options[0]?.value ?? 'hq');
  const where = options.find((o) => o.value === place)?.where ?? {};
  const { data, loading, error } = useGql(ClubReportDocument, { regionId: where.regionId ?? null, storeId: where.storeId ?? null, since: null });
  const [open, setOpen] = useState<Row['club'] | null>(null);
  const rows = data?.clubReport ?? [];
  if (open) return <ClubDetail club={open} onBack={() => setOpen(null)} />;
  return (
    <Card
      title="圈子（近 90 天）"
      extra={
        <Space>
          <Select style={{ width: 200 }} value={place} onChange={setPlace} options={options.map(({ value, label }) => ({ value, label }))} />
          <Button
            onClick={() =>
              download(
                'clubs.csv',
                toCsv(
                  ['圈子', '主题', '门店', '加入方式', '成员', '待审核', '活动', '已结束', '确认报名', '到场', '现场加入', '到场率', '爽约率', '公告', '最近活动（北京）'],
                  rows.map((r) => [r.club.name, r.club.theme, r.club.store?.name ?? '全国', JOIN_POLICY_ZH[r.club.joinPolicy] ?? r.club.joinPolicy, r.members, r.pendingRequests, r.events, r.finishedEvents, r.confirmedRsvps, r.attended, r.walkIns, rate(r.attendanceRate), rate(r.noShowRate), r.announcements, r.lastActivityAt ? beijingTime(r.lastActivityAt) : '']),
                ),
              )
            }
          >
            导出 CSV
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey={(r) => r.club.id}
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) => ({ onClick: () => setOpen(r.club), style: { cursor: 'pointer' } })}
        columns={[
          { title: '圈子', render: (_, r) => r.club.name },
          { title: '主题', render: (_, r) => r.club.theme },
          { title: '门店', render: (_, r) => r.club.store?.name ?? '全国' },
          { title: '成员', dataIndex: 'members', sorter: (a, b) => a.members - b.members },
          { title: '待审核', dataIndex: 'pendingRequests' },
          { title: '活动', dataIndex: 'events' },
          { title: '确认报名', dataIndex: 'confirmedRsvps' },
          { title: '到场', dataIndex: 'attended' },
          { title: '到场率', dataIndex: 'attendanceRate', render: rate, sorter: (a, b) => (a.attendanceRate ?? -1) - (b.attendanceRate ?? -1) },
          { title: '爽约率', dataIndex: 'noShowRate', render: rate, sorter: (a, b) => (a.noShowRate ?? -1) - (b.noShowRate ?? -1) },
          { title: '最近活动（北京）', dataIndex: 'lastActivityAt', render: (v: string | null) => (v ? beijingTime(v) : '—') },
        ]}
      />
    </Card>
  );
}
