import { describe, expect, test, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StoreForm } from '../src/sections/OrgSection';
import { TierForm } from '../src/sections/ProgramSection';
import { StockForm } from '../src/sections/RewardsSection';

// The forms show the API's rules as Chinese messages and send nothing while a field is wrong.
describe('forms', () => {
  test('store form: a bad code and a missing region are refused with the API rules, nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<StoreForm regions={[{ id: '1', name: '北京' }]} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByPlaceholderText('bj-wangjing'), 'BJ Wangjing');
    await user.type(screen.getByPlaceholderText('北京望京店'), '北京望京店');
    await user.click(screen.getByRole('button', { name: '创建门店' }));
    expect(await screen.findByText('编码为 2–32 位小写字母、数字或 -')).toBeTruthy();
    expect(await screen.findByText('请选择区域')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  test('tier form: a threshold below a lower tier is refused; a valid tier is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    const tiers = [
      { code: 'NORMAL', name: '普通', rank: 0, thresholdFen: 0 },
      { code: 'GOLD', name: '金卡', rank: 1, thresholdFen: 500_000 },
    ];
    render(<TierForm tiers={tiers} initial={{ code: 'VIP', name: '黑金', rank: 2, thresholdYuan: 100, multiplierPct: 150 }} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '保存等级' }));
    expect(await screen.findByText('门槛须高于「金卡」的 ¥5000')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    const threshold = screen.getAllByRole('spinbutton')[1] as HTMLInputElement;
    await user.clear(threshold);
    await user.type(threshold, '20000');
    await user.click(screen.getByRole('button', { name: '保存等级' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ code: 'VIP', thresholdYuan: 20000, rank: 2 })));
  });

  test('stock form: cannot take stock below zero', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<StockForm stock={3} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('spinbutton'), '-4');
    await user.click(screen.getByRole('button', { name: '确认调整' }));
    expect(await screen.findByText('库存不能低于 0（当前 3）')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
