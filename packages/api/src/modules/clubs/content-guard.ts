/**
 * WeChat content security for texts organizers publish (club profiles, events, announcements): checked with
 * msgSecCheck v2 before anything is stored, so nothing unscreened is ever visible. Only `pass` is published;
 * `review` and `risky` are CONTENT_REJECTED; WeChat being unreachable fails closed (WECHAT_UNAVAILABLE).
 */
import { ErrorCode } from '@quanzi/shared';
import type { Db } from '../../db/sql';
import { AppError } from '../../errors';
import type { MsgSecScene, WechatClient } from '../../integrations/wechat/wechat-client';
import type { Logger } from '../../logger';
import { wechatError } from '../users/user.service';

/** msgSecCheck scenes: 1 资料 for club and event profiles, 3 论坛 for announcements. */
export const SCENE_PROFILE: MsgSecScene = 1;
export const SCENE_POST: MsgSecScene = 3;

export class ContentGuard {
  constructor(private readonly db: Db, private readonly wechat: WechatClient, private readonly log: Logger) {}

  /** Screens the non-empty texts as one document written by `userId`; throws CONTENT_REJECTED unless WeChat says pass. */
  async screen(userId: number, scene: MsgSecScene, texts: (string | null | undefined)[]): Promise<void> {
    const content = texts.filter((t): t is string => typeof t === 'string' && t.trim() !== '').join('\n');
    if (content === '') return;
    const u = await this.db.q.get<{ openid: unknown }>('SELECT openid FROM app_user WHERE id = ?', [userId]);
    if (!u) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
    let result;
    try {
      result = await this.wechat.msgSecCheck({ openid: String(u.openid), scene, content });
    } catch (e) {
      this.log.warn({ userId, err: e instanceof Error ? e.message : String(e) }, 'msgSecCheck failed');
      throw wechatError(e);
    }
    if (result.suggest !== 'pass') {
      this.log.info({ userId, suggest: result.suggest, label: result.label }, 'content rejected by WeChat content security');
      throw new AppError(ErrorCode.CONTENT_REJECTED, 'WeChat content security did not pass this text', { suggest: result.suggest, label: result.label });
    }
  }
}
