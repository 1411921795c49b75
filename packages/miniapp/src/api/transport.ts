import Taro from '@tarojs/taro';

/**
 * The network boundary: one JSON POST through Taro.request (wx.request on weapp, fetch on H5). Tests replace
 * this module and nothing else.
 */
export interface HttpResponse {
  status: number;
  data: unknown;
}

/** Thrown when no HTTP response arrived (offline, timeout). */
export class TransportError extends Error {
  readonly transport = true;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  let res: Taro.request.SuccessCallbackResult<string | ArrayBuffer | Record<string, unknown>>;
  try {
    res = await Taro.request<string | ArrayBuffer | Record<string, unknown>>({
      url,
      method: 'POST',
      data: body,
      header: { 'content-type': 'application/json', ...headers },
      dataType: 'json',
      timeout: 15000,
    });
  } catch (e) {
    throw new TransportError((e as { errMsg?: string })?.errMsg ?? String(e));
  }
  let data: unknown = res.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      /* not JSON: the client reports BAD_RESPONSE */
    }
  }
  return { status: res.statusCode, data };
}
