import { afterEach, describe, expect, test, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { errorMessageZh } from '@quanzi/shared';
import { ScopeContext, type Scope } from '../src/scope';
import ClubsSection from '../src/sections/clubs/ClubsSection';
import { PayAnomalies } from '../src/sections/payments/PayAnomalies';

// The clubs page and the anomalies list against a mocked API (fetch): what they show and what they send.
const HQ: Scope = { hq: true, regions: [{ id: '1', code: 'beijing', name: '北京' }], stores: [{ id: '10', code: 'bj-guomao', name: '北京国贸店', regionId: '1', regionName: '北京' }] };
const calls: { operationName: string; variables: Record<string, unknown> }[] = [];
function mockApi(answer: (op: string, vars: Record<string, unknown>) => unknown) {
  calls.length = 0;
  vi.stubGlobal('fetch', vi.fn(async (_url: string, init: { body: string }) => {
    const body = JSON.parse(init.body) as { operationName: string; variables: Record<string, unknown> };
    calls.push(body);
    return { status: 200, json: async () => answer(body.operationName, body.variables) };
  }));
}
const sent = (op: string) => calls.filter((c) => c.operationName === op);
afterEach(() => vi.unstubAllGlobals());

describe('clubs', () => {
  const report = {
    members: 12, pendingRequests: 1, events: 3, finishedEvents: 2, confirmedRsvps: 16, attended: 13, walkIns: 2, attendanceRate: 0.8125, noShowRate: 0.1875, announcements: 4, lastActivityAt: '2026-12-05T10:00:00.000Z',
    club: { id: '7', name: '国贸跑团', theme: '跑步', joinPolicy: 'OPEN', storeId: '10', store: { id: '10', name: '北京国贸店' } },
  };
  const person = (role: string) => ({ memberId: '3', userId: '30', memberNo: '1234567890', nickname: '小林', tierName: '金卡', role, status: 'ACTIVE', since: '2026-12-01T02:00:00.000Z' });

  test('the report shows attendance and no-show rates; a member is made an organizer by user id', async () => {
    let role = 'MEMBER';
    mockApi((op, v) => {
      if (op === 'ClubReport') return { data: { clubReport: [report] } };
      if (op === 'ClubEventReport') return { data: { clubEventReport: [] } };
      if (op === 'ClubPeople') return { data: { clubMembers: [person(role)] } };
      if (op === 'SetClubOrganizer') return (role = v.organizer ? 'ORGANIZER' : 'MEMBER'), { data: { setClubOrganizer: { memberId: '3', userId: '30', role, status: 'ACTIVE' } } };
      return { errors: [{ message: op, extensions: { code: 'INTERNAL' } }] };
    });
    render(<App><ScopeContext.Provider value={HQ}><ClubsSection /></ScopeContext.Provider></App>);
    const user = userEvent.setup();
    const row = (await screen.findByText('国贸跑团')).closest('tr') as HTMLElement;
    expect(within(row).getByText('81.3%')).toBeTruthy();
    expect(within(row).getByText('18.8%')).toBeTruthy();
    expect(sent('ClubReport')[0]?.variables).toEqual({ regionId: null, storeId: null, since: null });
    await user.click(row);
    await user.click(await screen.findByRole('tab', { name: '成员与组织者' }));
    await user.click(await screen.findByRole('button', { name: '设为组织者' }));
    const ok = await screen.findAllByRole('button', { name: /确\s?认/ });
    await user.click(ok[ok.length - 1] as HTMLElement);
    await waitFor(() => expect(sent('SetClubOrganizer')).toHaveLength(1));
    expect(sent('SetClubOrganizer')[0]?.variables).toEqual({ clubId: '7', userId: '30', organizer: true });
    expect(await screen.findByRole('button', { name: '撤销组织者' })).toBeTruthy();
  }, 60_000);

  test('a region manager asks for their region', async () => {
    mockApi(() => ({ data: { clubReport: [] } }));
    render(<App><ScopeContext.Provider value={{ ...HQ, hq: false }}><ClubsSection /></ScopeContext.Provider></App>);
    await waitFor(() => expect(sent('ClubReport')[0]?.variables).toEqual({ regionId: '1', storeId: null, since: null }));
  }, 60_000);
});

describe('pay anomalies', () => {
  const anomaly = {
    id: '4', outTradeNo: 'QZ1', storeName: '北京国贸店', amountFen: 10_000, transactionId: '4200001', kind: 'AMOUNT_MISMATCH', expected: '10000', received: '1', source: 'notify',
    firstSeenAt: '2026-12-06T02:00:00.000Z', lastSeenAt: '2026-12-06T02:05:00.000Z', timesSeen: 3, resolvedAt: null, resolvedBy: null, resolutionNote: null,
  };
  test('an empty note cannot be sent; a resolved one is sent trimmed; CONFLICT is shown in Chinese', async () => {
    mockApi((op) => (op === 'ResolvePayAnomaly' ? { errors: [{ message: 'resolved', extensions: { code: 'CONFLICT' } }] } : { data: { payAnomalies: [anomaly] } }));
    render(<App><PayAnomalies /></App>);
    const user = userEvent.setup();
    const row = (await screen.findByText('金额不符')).closest('tr') as HTMLElement;
    expect(sent('PayAnomalies')[0]?.variables).toEqual({ resolved: false, first: 200 });
    await user.click(within(row).getByRole('button', { name: '标记已处理' }));
    const ok = await screen.findByRole('button', { name: /确\s?认/ });
    expect((ok as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByPlaceholderText('处理说明（1–500 字），如：已原路退款'), ' 已原路退款 ');
    await user.click(ok);
    await waitFor(() => expect(sent('ResolvePayAnomaly')[0]?.variables).toEqual({ id: '4', note: '已原路退款' }));
    expect(await screen.findByText(errorMessageZh.CONFLICT)).toBeTruthy();
  }, 60_000);
});
