import CardPage from '../src/pages/card';
import { mount, resetAll, text } from './harness';

// The H5 build resolves utils/wx-login to its .h5 variant (persona buttons); jest resolves the weapp default.
jest.mock('../src/utils/wx-login', () => jest.requireActual('../src/utils/wx-login.h5'));
jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

describe('H5 demo signed out', () => {
  it('shows the persona picker (Erin included) instead of a "请先登录" dead end', async () => {
    await mount(CardPage);
    expect(text()).toContain('选择演示身份');
    for (const name of ['Alice', 'Bob', 'Carol', 'Dave', 'Erin（俱乐部组织者）']) expect(text()).toContain(name);
    expect(text()).not.toContain('去登录');
  });
});
