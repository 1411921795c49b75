/** The service graph, built once per process (or per test) from config, ORM and WeChat client. */
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from './config';
import { TokenService } from './auth/jwt';
import { Db } from './db/sql';
import { WechatClient } from './integrations/wechat/wechat-client';
import type { Logger } from './logger';
import { EarningService } from './modules/earning/earning.service';
import { LedgerService } from './modules/ledger/ledger.service';
import { MemberService } from './modules/members/member.service';
import { OrgService } from './modules/org/org.service';
import { PurchaseService } from './modules/purchases/purchase.service';
import { TierService } from './modules/tiers/tier.service';
import { UserService } from './modules/users/user.service';

export interface Services {
  config: Config;
  orm: MikroORM;
  db: Db;
  log: Logger;
  tokens: TokenService;
  wechat: WechatClient;
  org: OrgService;
  tiers: TierService;
  earning: EarningService;
  users: UserService;
  members: MemberService;
  ledger: LedgerService;
  purchases: PurchaseService;
}

export function createServices(config: Config, orm: MikroORM, log: Logger, wechatBase: string): Services {
  const db = new Db(orm);
  const tokens = new TokenService(config.jwt.secret, config.jwt.ttlSeconds);
  const wechat = new WechatClient({ baseUrl: wechatBase, appid: config.wechat.appid, secret: config.wechat.secret });
  const org = new OrgService(db);
  const tiers = new TierService(db);
  const earning = new EarningService(db, org);
  const users = new UserService(db, wechat, tokens, tiers, earning, org, log);
  const members = new MemberService(db, tiers, org);
  const ledger = new LedgerService(db);
  const purchases = new PurchaseService(db, members, earning, tiers, org, log);
  return { config, orm, db, log, tokens, wechat, org, tiers, earning, users, members, ledger, purchases };
}
