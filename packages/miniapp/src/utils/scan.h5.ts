/** H5: no camera scanner; text fields stand in (type or paste the member code, or a till order's number). */
export const CAN_SCAN = false;

export async function scanQrText(): Promise<string | null> {
  return null;
}

export const scanMemberCode = scanQrText;
