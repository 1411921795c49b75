/** H5: no WeChat subscribe messages (notifications stay in the in-app inbox). */
export const CAN_SUBSCRIBE = false;

export async function requestSubscribe(_templateIds: readonly string[]): Promise<string[]> {
  return [];
}
