import {
  AcknowledgeRatingDocument,
  LowRatingsDocument,
  MyPendingRatingsDocument,
  MyRatingsDocument,
  RateOperationDocument,
  ResolveRatingDocument,
  ServiceRatingDocument,
  type LowRatingsQuery,
  type MyPendingRatingsQuery,
  type RatedOperationKind,
  type RatingFollowUp,
} from '@quanzi/shared/graphql';
import { request } from '../api/client';
import { useQuery } from './use-query';

export type PendingRating = MyPendingRatingsQuery['myPendingRatings'][number];
export type LowRating = LowRatingsQuery['serviceRatings']['items'][number];
export const LOW_RATINGS_PAGE = 20;

/** The member's services still open for rating (within 24 hours, not rated yet). */
export function usePendingRatings(options: { skip?: boolean } = {}) {
  return useQuery(MyPendingRatingsDocument, {}, options);
}

/** The member's own ratings and what they add up to (their profile). */
export function useMyRatings() {
  return useQuery(MyRatingsDocument, { first: 20 });
}

export async function rateOperation(kind: RatedOperationKind, operationId: string, stars: number, comment: string) {
  return (await request(RateOperationDocument, { kind, operationId, stars, comment: comment.trim() || null })).rateOperation;
}

/** Managers: the 1–2 star ratings in their scope whose follow-up stands at `followUp`. */
export function useLowRatings(followUp: RatingFollowUp, offset: number) {
  return useQuery(LowRatingsDocument, { filter: { lowOnly: true, followUp }, first: LOW_RATINGS_PAGE, offset });
}

/** Managers: one rating (the RATING_LOW notice's link), or nothing without an id. */
export function useServiceRating(id: string | null) {
  return useQuery(ServiceRatingDocument, { id: id ?? '' }, { skip: !id });
}

/** Managers: how many 1–2 star ratings in their scope nobody took on yet (the profile's badge); skipped for others. */
export function useOpenLowCount(manager: boolean) {
  return useQuery(LowRatingsDocument, { filter: { lowOnly: true, followUp: 'OPEN' }, first: 1, offset: 0 }, { skip: !manager });
}

export async function acknowledgeRating(id: string) {
  return (await request(AcknowledgeRatingDocument, { id })).acknowledgeRating;
}

export async function resolveRating(id: string, note: string) {
  return (await request(ResolveRatingDocument, { id, note: note.trim() })).resolveRating;
}

