import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ReactNode } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { ScopeContext, type Scope } from '../src/scope';
import { ReferralSettings } from '../src/sections/referrals/ReferralSettings';
import { ReferralReport } from '../src/sections/referrals/ReferralReport';
import { referralErrors } from '../src/validation-referrals';

const HQ: Scope = {
  hq: true,
  regions: [{ id: '1', code: 'beijing', name: '北京' }],
  stores: [{ id: '10', code: 'bj-guomao', name: '北京国贸店', regionId: '1', regionName: '北京' }],
};
const STORE: Scope = { hq: false, regions: [], stores: HQ.stores };
const inConsole = (ui: ReactNode, scope: Scope = HQ) => render(<App><ScopeContext.Provider value={scope}>{ui}</ScopeContext.Provider></App>);

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

const program = { enabled: false, referrerBonus: 500, refereeBonus: 0, sharePct: 10, shareMonths: 12, monthlyCap: 0, qualifyingMinFen: 0, updatedAt: null };

describe('referral settings', () => {
  test('the bounds are the API’s: share above 50 %, negative bonus, sub-fen minimum are refused', () => {
    const e = referralErrors({ enabled: true, referrerBonus: -1, refereeBonus: 0, sharePct: 51, shareMonths: 12, monthlyCap: 0, qualifyingMinYuan: 1.005 });
    expect(e).toEqual({ referrerBonus: '邀请人奖励为 0–100000 积分 的整数', sharePct: '分成比例为 0–50% 的整数', qualifyingMinYuan: '最低消费为 ¥0–¥1000000（精确到分）' });
    expect(referralErrors({ enabled: true, referrerBonus: 0, refereeBonus: 100000, sharePct: 50, shareMonths: 36, monthlyCap: 0, qualifyingMinYuan: 1000000 })).toEqual({});
  });

  test('a share of 60 % is refused in the form and nothing is sent; 20 % is saved with the minimum in fen', async () => {
    let saved: Record<string, unknown> = program;
    mockApi((op, vars) => {
      if (op === 'UpdateReferralProgram') return (saved = { ...(vars.input as object), updatedAt: '2026-01-01T00:00:00.000Z' }), { data: { updateReferralProgram: saved } };
      return { data: { referralProgram: saved } };
    });
    inConsole(<ReferralSettings />);
    const user = userEvent.setup();
    const share = await screen.findByLabelText('消费积分分成（%）');
    await user.clear(share);
    await user.type(share, '60');
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByText('分成比例为 0–50% 的整数')).toBeTruthy();
    expect(sent('UpdateReferralProgram')).toHaveLength(0);

    await user.clear(share);
    await user.type(share, '20');
    const min = screen.getByLabelText('达标最低消费（元，0 = 任意消费）');
    await user.clear(min);
    await user.type(min, '30.5');
    await user.click(screen.getByRole('switch'));
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    await waitFor(() => expect(sent('UpdateReferralProgram')).toHaveLength(1));
    expect(sent('UpdateReferralProgram')[0]!.variables.input).toEqual({ enabled: true, referrerBonus: 500, refereeBonus: 0, sharePct: 20, shareMonths: 12, monthlyCap: 0, qualifyingMinFen: 3050 });
  }, 60_000);

  test('a store manager reads the settings without a save button', async () => {
    mockApi(() => ({ data: { referralProgram: program } }));
    inConsole(<ReferralSettings />, STORE);
    expect(await screen.findByText('邀请有礼方案由总部经理维护')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '保存设置' })).toBeNull();
  }, 60_000);
});

describe('referral report', () => {
  test('rows per store with the points paid, for the picked scope', async () => {
    mockApi(() => ({
      data: {
        referralReport: [
          { storeId: '10', storeName: '北京国贸店', regionId: '1', regionName: '北京', invitations: 40, signUps: 12, qualified: 7, bonusPoints: 3500, sharePoints: 120, welcomePoints: 600, cappedPoints: 0 },
        ],
      },
    }));
    inConsole(<ReferralReport />);
    expect(await screen.findByText('北京国贸店')).toBeTruthy();
    expect(screen.getByText('4220')).toBeTruthy();
    expect(sent('ReferralReport')[0]!.variables).toEqual({ regionId: null, storeId: null, since: null });
  }, 60_000);
});
