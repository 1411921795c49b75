/** Display helpers shared by server logs and the mini-program. CONTRACT — implementation pending. */
/** `13812345678` → `138****5678`; anything else shorter keeps only its last 2 characters. */
export declare function maskPhone(phone: string | null | undefined): string | null;
/** `oAbc…xyz` → first 4 + `****` + last 4. */
export declare function maskOpenid(openid: string | null | undefined): string | null;
/** 12345 fen → `123.45`. */
export declare function fenToYuan(fen: number): string;
