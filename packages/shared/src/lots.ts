/**
 * FIFO lot allocation (PRODUCT F3). CONTRACT — implementation pending.
 */
export interface LotBalance { id: string; remaining: number; expiresAt: Date }
export interface LotTake { lotId: string; points: number }
/**
 * Take `points` from the live lots (expiresAt > now, remaining > 0), oldest expiry first, ties by id
 * (numeric-aware). Returns null when the live lots do not cover `points`. `points` must be a positive integer.
 */
export declare function allocateFifo(lots: LotBalance[], points: number, now: Date): LotTake[] | null;
