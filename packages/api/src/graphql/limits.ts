/**
 * Operation limits (issue #12): every GraphQL operation is bounded before anything executes.
 *
 * - Depth, aliases and directives: @escape.tech/graphql-armor's validation rules (Apollo 5 is one of its peers).
 * - Tokens: graphql-js's own parser limit (`parseOptions.maxTokens`); the parse stops at the limit, so a huge
 *   document costs no more than a small one. (graphql-armor's token plugin throws from `parsingDidStart`, which
 *   Apollo Server treats as an unexpected error; the parser option is the same check without that.)
 * - Cost: graphql-query-complexity with our estimator, checked in `didResolveOperation` (it needs the variables): one unit
 *   per field in the answer, a list multiplied by its page size (`first`) or by the most rows it can return. The
 *   estimate therefore bounds the size of the response, which depth and aliases alone do not.
 * - Page sizes: a `first` outside 1…its maximum is BAD_USER_INPUT, also before execution.
 *
 * Refusals are QUERY_TOO_COMPLEX (BAD_USER_INPUT for a bad page size).
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getNullableType, type DocumentNode, isListType, NoSchemaIntrospectionCustomRule, type GraphQLSchema, type ValidationContext, type ValidationRule, visit } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '@quanzi/shared';
import type { GraphqlConfig } from '../config';
import { AppError, badInput } from '../errors';

/** The largest `first` each paginated field accepts (the services check the same bounds). */
export const PAGE_LIMITS: Record<string, number> = {
  'Query.clubs': 100,
  'Query.rewards': 200,
  'Query.myRedemptions': 100,
  'Query.myNotifications': 100,
  'Query.myOrders': 50,
  'Query.myAttendance': 100,
  'Query.tillOperations': 50,
  'Club.announcements': 100,
  'Member.ledger': 100,
  'Query.outboxDeadLetters': 200,
  'Query.roleGrants': 200,
  'Query.auditLog': 200,
  'Query.payAnomalies': 200,
  'Query.decliningMembers': 100,
  'Query.myRatings': 100,
  'Query.serviceRatings': 100,
  'Query.consoleMembers': 50,
  'ConsoleMember.ledger': 100,
  'Query.pointsAdjustments': 100,
  'Query.myCoupons': 100,
  'Query.myReferrals': 50,
  'Query.payOrders': 100, // PAY_ORDER_PAGE_MAX
  'Query.campaigns': 100,
};

/**
 * The most items each list field without `first` can return: a LIMIT in its query, or a bound the data model
 * enforces. Used by the cost estimate, so these must be true; a test requires every list field of the schema to be
 * here or in PAGE_LIMITS.
 */
export const LIST_SIZES: Record<string, number> = {
  // Capped by a LIMIT in SQL (beyond it the list is cut, oldest/last first).
  'Club.events': 200, // upcoming (or all, includePast) events of a club
  'Query.myRsvps': 100,
  'ProgramSettingsType.tierUpgradeCoupons': 20, // one per tier, at most MAX_TIER_COUPONS (coupons/rule-coupons.ts)
  'Query.clubEventReport': 200,
  'Club.organizers': 50,
  'Query.clubMembers': 1000,
  'Query.eventRsvps': 1000,
  'Query.eventAttendance': 1000,
  'Query.pointsReconciliation': 500,
  // Organisation data, written by managers only: not capped in SQL, generous bounds for the estimate.
  'Query.clubReport': 500, // one row per club in the manager's scope
  'Query.rewardCatalogue': 100, // HQ's whole catalogue (a LIMIT of 1000 in SQL; tens to a hundred in practice)
  'Query.regions': 50,
  'Query.stores': 500,
  'Query.tiers': 20,
  'Query.rewardPartners': 100,
  'Query.earningRuleDefinitions': 200,
  'EarningRuleSetView.baseRates': 10, // the base rates that apply at one store (its HQ, region and store rules)
  'EarningRuleSetView.categories': 50,
  'EarningRuleSetView.campaigns': 20,
  'Campaign.categories': 20,
  'EarningRule.categories': 20,
  'Viewer.roles': 20,
  'Viewer.staffStores': 20,
  'RewardReport.rewards': 500,
  'RewardReport.partners': 100,
  'RewardReport.providers': 10,
  // Small by construction.
  'Query.subscribeTemplates': 10,
  'Mutation.recordSubscribeConsent': 10,
  'PurchaseReceipt.steps': 20,
  'Reward.storeIds': 50,
  'Query.couponTemplates': 100, // a slice(0, 100) in CouponTemplateService.list
  'CouponTemplate.storeIds': 50,
  'CouponTemplate.regionIds': 20,
  'LedgerConnection.edges': 1, // sized by Member.ledger's `first`
  'RoleGrantPage.items': 1, // sized by roleGrants' `first`
  'AuditPage.items': 1, // sized by auditLog's `first`
  'ManagerScopeType.regions': 50, // as Query.regions
  'ManagerScopeType.stores': 500, // as Query.stores
  // Analytics (issue #15): fixed shapes.
  'CustomerInventory.weeks': 157, // one per week of a range of at most 3 years (MAX_WEEKS)
  'CustomerInventory.trend': 5, // one per lifecycle stage
  'InventoryWeek.counts': 5,
  'DecliningMemberPage.items': 1, // sized by decliningMembers' `first`
  'DecliningMember.reasons': 4,
  'RfmReport.cells': 25, // the 5 × 5 grid
  'TradeAreaRadar.sectors': 32, // 4 rings × 8 directions
  'CohortRetention.cohorts': 38, // one per Shanghai month a range of at most 3 years (1,098 days) touches
  'Cohort.cells': 12, // COHORT_OFFSETS
  'RadarSector.byGender': 3,
  'RadarSector.byAgeBand': 8,
  'Query.myPendingRatings': 20, // MAX_PENDING in SQL
  'Query.storeRatings': 501, // the stores in scope (as Query.stores) and one HQ-level row
  'Query.staffRatings': 200, // cut at 200 staff members per store
  'ServiceRatingPage.items': 1, // sized by serviceRatings' `first`
  'RatingStats.distribution': 5,
  'StoreRatingSummary.distribution': 5,
  'StaffRatingSummary.distribution': 5,
  'ConsoleMemberPage.items': 1, // sized by consoleMembers' `first`
  'ConsoleMember.redemptions': 20, // PROFILE_REDEMPTIONS, a LIMIT in SQL
  'ConsoleMember.clubs': 50, // PROFILE_CLUBS, a LIMIT in SQL
  'ConsoleMember.tierHistory': 50, // PROFILE_TIER_CHANGES, a LIMIT in SQL
  'PointsAdjustmentPage.items': 1, // sized by pointsAdjustments' `first`
  'Query.referralReport': 501, // one row per store in scope (as Query.stores), plus HQ's row for referrers without a store
  'ScopedPayOrderPage.items': 1, // sized by payOrders' `first`
  'ScopedPayOrder.refunds': 20, // REFUNDS_PER_ORDER, cut in PayOrderListService
  // Targeted campaigns (issue #14): bounded by the segment validator and the page size.
  'TargetedCampaignPage.items': 1, // sized by campaigns' `first`
  'TargetedCampaign.conditions': 10, // SEGMENT_LIMITS.maxConditions
  'SegmentCondition.genders': 2,
  'SegmentCondition.ageBands': 7,
  'SegmentCondition.tierIds': 20,
  'SegmentCondition.stages': 5,
  'SegmentCondition.categories': 20,
  'SegmentPreview.sample': 5,
};

/** For a list field missing from both tables (the schema test keeps this from happening). */
const DEFAULT_LIST_SIZE = 100;

const tooComplex = (message: string): GraphQLError => new AppError(ErrorCode.QUERY_TOO_COMPLEX, message, { http: { status: 400 } });

/**
 * The cost estimator: 1 per field; a field with `first` costs 1 + first × its selection, a list without it
 * 1 + (its most items) × its selection. Checks `first` on the way.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const key = `${type.name}.${field.name}`;
  const child = Math.max(childComplexity, 1);
  if (field.args.some((a) => a.name === 'first')) {
    const max = PAGE_LIMITS[key] ?? DEFAULT_LIST_SIZE;
    const first = args.first as unknown;
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > max) throw badInput(`${field.name}: first must be 1–${max}`, 'first');
    return 1 + first * child;
  }
  if (isListType(getNullableType(field.type))) return 1 + (LIST_SIZES[key] ?? DEFAULT_LIST_SIZE) * child;
  return 1 + childComplexity;
};

/** The estimated cost of an operation (throws BAD_USER_INPUT for a bad page size). */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number {
  return getComplexity({ schema, query: document, operationName, variables: variables ?? {}, estimators: [costEstimator], maxQueryNodes: 10_000 });
}

/**
 * The variables an operation's cost can depend on: those given to a `first` (the estimator's page size) or to an
 * `if` (@skip / @include). Every other variable leaves the cost as it is.
 */
export function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.name.value !== 'first' && node.name.value !== 'if') return;
      visit(node.value, { Variable: (v) => void names.add(v.name.value) });
    },
  });
  return [...names].sort();
}

/** Costs remembered per operation and values of its cost variables, per parsed document (Apollo reuses the parse). */
const COSTS_PER_DOCUMENT = 32;

/**
 * `operationCost`, remembered: Apollo hands the same DocumentNode for the same query text (its document store), and
 * the cost is a function of the document, the operation and the cost variables only (`costVariables`), so a busy
 * till or member home computes it once, not per request (it was 5 % of a `me` request's CPU). Refusals are not
 * remembered: they throw every time. Bounded: documents are weak keys, and each keeps its 32 latest costs.
 */
export function cachedOperationCost(): typeof operationCost {
  const perDocument = new WeakMap<DocumentNode, { names: string[]; costs: Map<string, number> }>();
  return (schema, document, operationName, variables) => {
    let entry = perDocument.get(document);
    if (!entry) {
      entry = { names: costVariables(document), costs: new Map() };
      perDocument.set(document, entry);
    }
    // [value] when given, [] when absent (a variable's default then applies): the two never share a key.
    const key = `${operationName ?? ''}\u0000${JSON.stringify(entry.names.map((n) => (variables && Object.hasOwn(variables, n) ? [variables[n]] : [])))}`;
    const known = entry.costs.get(key);
    if (known !== undefined) return known;
    const cost = operationCost(schema, document, operationName, variables);
    if (entry.costs.size >= COSTS_PER_DOCUMENT) entry.costs.clear();
    entry.costs.set(key, cost);
    return cost;
  };
}

/** Wraps a validation rule so that every error it reports carries `code` (and keeps its message). */
function withCode(rule: ValidationRule, code: ErrorCode, message?: string): ValidationRule {
  return (context: ValidationContext) =>
    rule(
      new Proxy(context, {
        get(target, prop, receiver) {
          if (prop === 'reportError') return (e: GraphQLError) => target.reportError(new GraphQLError(message ?? e.message, { nodes: e.nodes, extensions: { code } }));
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      }),
    );
}

export interface OperationLimits {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
  parseOptions: { maxTokens: number };
  /** Throws QUERY_TOO_COMPLEX (or BAD_USER_INPUT for a page size) for an operation over the cost limit. */
  checkCost(rc: { schema: GraphQLSchema; document: DocumentNode; operationName: string | null; request: { variables?: Record<string, unknown> } }): void;
}

/** The validation rules, plugins and parser options that enforce `cfg` (see the module comment). */
export function operationLimits(cfg: GraphqlConfig): OperationLimits {
  // Armor reports through onReject; `propagateOnRejection: false` stops its own BAD_USER_INPUT reporter.
  const reject = { propagateOnRejection: false, onReject: [(ctx: ValidationContext | null, e: GraphQLError) => ctx?.reportError(tooComplex(e.message.replace(/^Syntax Error: /, '')))] };
  const armor = new ApolloArmor({
    maxDepth: { n: cfg.maxDepth, flattenFragments: true, ...reject },
    maxAliases: { n: cfg.maxAliases, ...reject },
    maxDirectives: { n: cfg.maxDirectives, ...reject },
    costLimit: { enabled: false }, // list-blind; the cost plugin below multiplies by page sizes
    maxTokens: { enabled: false }, // parseOptions.maxTokens instead (see above)
    blockFieldSuggestion: { enabled: !cfg.introspection },
  }).protect();

  /** For `didResolveOperation` (it needs the variables): page sizes, then the estimated cost. */
  const costOf = cachedOperationCost();
  const checkCost = (rc: { schema: GraphQLSchema; document: DocumentNode; operationName: string | null; request: { variables?: Record<string, unknown> } }): void => {
    let cost: number;
    try {
      cost = costOf(rc.schema, rc.document, rc.operationName ?? undefined, rc.request.variables);
    } catch (e) {
      if (e instanceof AppError) throw Object.assign(e, { extensions: { ...e.extensions, http: { status: 400 } } });
      const message = (e as Error).message;
      if (/maximum allowed number of nodes/.test(message)) throw tooComplex(message);
      throw badInput(message);
    }
    if (cost > cfg.maxCost) throw tooComplex(`Query cost ${cost} exceeds the limit of ${cfg.maxCost} (lists count as many times as their page size)`);
  };

  const validationRules = [...armor.validationRules];
  if (!cfg.introspection) {
    validationRules.push(withCode(NoSchemaIntrospectionCustomRule, ErrorCode.OPERATION_NOT_ALLOWED, 'Introspection is disabled on this server'));
  }
  return { validationRules, plugins: armor.plugins, parseOptions: { maxTokens: cfg.maxTokens }, checkCost };
}

/** graphql-js's message when the parser stops at `maxTokens` (mapped to QUERY_TOO_COMPLEX by formatError). */
export const isTokenLimitError = (message: string): boolean => /contains more th\w+ \d+ tokens/.test(message);
