import Taro from '@tarojs/taro';

/**
 * weapp: asks the member to accept subscribe-message templates (wx.requestSubscribeMessage; must start inside a
 * tap handler). Resolves with the accepted template ids; [] when declined, unsupported or failed. H5 has no
 * subscribe messages (subscribe.h5.ts).
 */
export const CAN_SUBSCRIBE = true;

export async function requestSubscribe(templateIds: readonly string[]): Promise<string[]> {
  if (templateIds.length === 0) return [];
  try {
    const res = (await Taro.requestSubscribeMessage({ tmplIds: [...templateIds] } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>;
    return templateIds.filter((id) => res?.[id] === 'accept');
  } catch {
    return [];
  }
}
