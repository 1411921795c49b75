/** What run.ts and the load generator (load.ts) share: the two operations and the IPC messages. */

export const ME_QUERY =
  '{ me { memberNo points tier { name multiplierPct } nextTier { name spendNeeded } expiringSoon { points on } ' +
  'ledger(first: 10) { edges { cursor node { id delta kind reason storeName createdAt } } pageInfo { hasNextPage endCursor } } } }';

export const PURCHASE_MUTATION =
  'mutation Till($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id memberNo points balance replayed steps { rule points } } }';

export interface BuyMember { memberNo: string; codeSecret: string }

export type LoadCommand =
  | { type: 'init'; tokens: string[]; buyers: BuyMember[]; staffToken: string; storeId: number }
  | { type: 'run'; id: number; url: string; scenario: 'me' | 'purchase'; seconds: number; connections: number }
  | { type: 'exit' };

export interface RunFigures {
  /** Successful answers (2xx without GraphQL errors) per second over the run. */
  reqPerSec: number;
  /** Every answer per second (autocannon's average). */
  rawReqPerSec: number;
  p50: number;
  p99: number;
  total: number;
  ok: number;
  non2xx: number;
  gqlErrors: number;
  socketErrors: number;
  timeouts: number;
  errorSamples: string[];
  seconds: number;
}

export type LoadReply = { type: 'ready' } | { type: 'result'; id: number; figures: RunFigures } | { type: 'failed'; id: number; message: string };

