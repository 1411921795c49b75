import { Region, Store } from '../modules/org/org.entity';
import { AppUser, RoleAssignment } from '../modules/users/user.entity';
import { Tier } from '../modules/tiers/tier.entity';
import { Member, MemberAccount } from '../modules/members/member.entity';
import { EarningRule, LoyaltyProgram } from '../modules/earning/earning-rule.entity';
import { LotAllocation, PointsEntry, PointsLot } from '../modules/ledger/ledger.entity';
import { Purchase } from '../modules/purchases/purchase.entity';

/** Every entity, in one list for the ORM config. */
export const entities = [
  Region,
  Store,
  AppUser,
  RoleAssignment,
  Tier,
  Member,
  MemberAccount,
  EarningRule,
  LoyaltyProgram,
  PointsEntry,
  PointsLot,
  LotAllocation,
  Purchase,
];
