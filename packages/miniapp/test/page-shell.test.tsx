import { PageShell, StatusView } from '../src/components/page-shell';
import { apiError } from '../src/api/errors';
import { mount, resetAll, text } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

describe('PageShell', () => {
  it('shows loading', async () => {
    await mount(() => <PageShell state={{ data: null, error: null, loading: true }}>{() => 'content'}</PageShell>);
    expect(text()).toContain('加载中');
  });

  it('shows an error in Chinese', async () => {
    await mount(() => <PageShell state={{ data: null, error: apiError('INTERNAL'), loading: false }}>{() => 'content'}</PageShell>);
    expect(text()).toContain('系统繁忙，请稍后再试');
  });

  it('a success screen shows a tick, not the empty grey circle', async () => {
    await mount(() => <StatusView kind='success' title='已积分 12' />);
    expect(document.querySelector('.page-shell__glyph--success')).not.toBeNull();
    expect(document.querySelector('.page-shell__glyph--empty')).toBeNull();
    expect(text()).toContain('已积分 12');
  });
});
