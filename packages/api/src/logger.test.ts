import { maskSensitive } from './logger';

describe('maskSensitive', () => {
  it('masks phones and openids, hides profile facts (birthday, location) at any depth, keeps the rest', () => {
    expect(
      maskSensitive({ phone: '13812345678', memberId: 7, profile: { birthday: '1990-05-10', location: { lat: 39.95, lng: 116.46 }, gender: 'FEMALE' }, store: { lat: null } }),
    ).toEqual({ phone: '138****5678', memberId: 7, profile: { birthday: '[masked]', location: '[masked]', gender: 'FEMALE' }, store: { lat: null } });
    expect(maskSensitive({ lat: 39.95, lng: 116.46, openid: 'oAbcdefghijklmnopqrstuvwxyz12' })).toEqual({ lat: '[masked]', lng: '[masked]', openid: 'oAbc****yz12' });
  });
});
