import { act } from 'react';
import MallPage from '../src/rewards/mall';
import { Picture, isShowableImage, toneOf } from '../src/components/picture';
import { reward } from './reward-fixtures';
import { $, api, mount, resetAll, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => resetAll());

describe('pictures of rewards and clubs', () => {
  it('only https and cloud:// files are loaded', () => {
    expect(isShowableImage('https://img.example.cn/a.png')).toBe(true);
    expect(isShowableImage('cloud://env-1.file/a.png')).toBe(true);
    expect(isShowableImage('http://img.example.cn/a.png')).toBe(false);
    expect(isShowableImage('javascript:alert(1)')).toBe(false);
    expect(isShowableImage('')).toBe(false);
    expect(isShowableImage(null)).toBe(false);
  });

  it('a reward kind always has its own colour; a club theme a stable one', () => {
    expect(toneOf('MOBILE_TOPUP')).toBe(0);
    expect(toneOf('FUEL_CARD')).toBe(1);
    expect(toneOf('跑步')).toBe(toneOf('跑步'));
    expect(new Set(['跑步', '咖啡', '读书', '亲子', '摄影', '骑行'].map(toneOf)).size).toBeGreaterThan(1);
  });

  it('the mall shows a reward with a picture as the picture, one without as a coloured tile with its initial', async () => {
    api.on('Rewards', {
      rewards: [
        reward({ id: 'a', name: '移动话费 ¥30', brandName: '中国移动', imageUrl: 'https://img.example.cn/cmcc.png' }),
        reward({ id: 'b', name: '联通话费 ¥50', brandName: '中国联通', imageUrl: null }),
      ],
    });
    await mount(MallPage);
    await waitForText('联通话费 ¥50');
    const items = document.querySelectorAll('.mall__item');
    expect(items).toHaveLength(2);
    const img = items[0]!.querySelector('.picture');
    expect(img?.getAttribute('src')).toBe('https://img.example.cn/cmcc.png');
    const tile = items[1]!.querySelector('.picture--placeholder');
    expect(tile?.textContent).toBe('中');
    expect((tile as HTMLElement).style.background).toContain('linear-gradient');
  });

  it('a picture that fails to load falls back to the tile', async () => {
    await mount(() => <Picture src='https://img.example.cn/gone.png' name='晨跑团' tone='跑步' size='banner' />);
    const img = $('.picture');
    expect(img.getAttribute('src')).toBe('https://img.example.cn/gone.png');
    await act(async () => {
      img.dispatchEvent(new Event('error'));
    });
    await waitForText('晨');
    expect($('.picture--placeholder.picture--banner').textContent).toBe('晨');
  });
});
