/** What run.ts and the load generator (load.ts) share: the operations and the IPC messages. */
import type { NotifyKeys, NotifyOrder } from './notify';

export const ME_QUERY =
  '{ me { memberNo points tier { name multiplierPct } nextTier { name spendNeeded } expiringSoon { points on } ' +
  'ledger(first: 10) { edges { cursor node { id delta kind reason storeName createdAt } } pageInfo { hasNextPage endCursor } } } }';

export const PURCHASE_MUTATION =
  'mutation Till($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id memberNo points balance replayed steps { rule points } } }';

export interface BuyMember { memberNo: string; codeSecret: string }

export type Scenario = 'me' | 'purchase' | 'notify';

/** The WeChat Pay notify endpoint (the API's and the floor's). */
export const NOTIFY_PATH = '/webhooks/wechatpay';

export type LoadCommand =
  | { type: 'init'; tokens: string[]; buyers: BuyMember[]; staffToken: string; storeId: number; pay: NotifyKeys | null }
  /** `orders` (notify only): the pending orders this run pays, one notification each, built just before the run; the run ends early when they are used up. */
  | { type: 'run'; id: number; url: string; scenario: Scenario; seconds: number; connections: number; orders?: NotifyOrder[] }
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
  /** notify: seconds spent building (signing, encrypting) the run's notifications before it started. */
  buildSeconds?: number;
}

export type LoadReply = { type: 'ready' } | { type: 'result'; id: number; figures: RunFigures } | { type: 'failed'; id: number; message: string };

