import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Flex, QRCode, Space, Typography } from 'antd';
import { LoginDocument } from '@quanzi/shared/graphql';
import { ApiError, errorZh, request } from './api/client';
import { saveSession } from './api/session';
import { ConfirmConsoleLoginDocument, ConsoleLoginStatusDocument, CreateConsoleLoginDocument } from './graphql/generated';
import { beijingTime } from './format';

const POLL_MS = 1500;

interface Persona { user: string; description: string }

/**
 * Sign-in without a password, as on WeChat's website QR login: the console shows a short-lived ticket as a QR code,
 * a manager scans it with the mini-program and confirms, and the next poll returns the console session. In the demo
 * the manager personas can confirm with one click: the browser plays the phone (a wx.login code from the simulator,
 * `login`, then the real `confirmConsoleLogin`).
 */
export function LoginPage() {
  const [ticket, setTicket] = useState<{ ticket: string; qrPayload: string; expiresAt: string } | null>(null);
  const [state, setState] = useState<'loading' | 'pending' | 'expired' | 'error'>('loading');
  const [message, setMessage] = useState<string | null>(null);
  const [personas, setPersonas] = useState<Persona[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const stopped = useRef(false);

  const fresh = useCallback(async () => {
    setState('loading');
    setMessage(null);
    try {
      const d = await request(CreateConsoleLoginDocument, {}, { token: null });
      setTicket(d.createConsoleLogin);
      setState('pending');
    } catch (e) {
      setMessage(errorZh(e));
      setState('error');
    }
  }, []);

  useEffect(() => {
    stopped.current = false;
    void fresh();
    fetch('/demo/personas')
      .then((r) => (r.ok ? r.json() : { personas: [] }))
      .then((b: { personas?: Persona[] }) => setPersonas(b.personas ?? []))
      .catch(() => setPersonas([]));
    return () => {
      stopped.current = true;
    };
  }, [fresh]);

  useEffect(() => {
    if (state !== 'pending' || !ticket) return;
    const timer = setInterval(async () => {
      try {
        const { consoleLoginStatus: s } = await request(ConsoleLoginStatusDocument, { ticket: ticket.ticket }, { token: null });
        if (stopped.current || s.status !== 'CONFIRMED' || !s.token || !s.viewer || !s.sessionExpiresAt) return;
        clearInterval(timer);
        saveSession({ token: s.token, expiresAt: s.sessionExpiresAt, userId: s.viewer.userId });
      } catch (e) {
        clearInterval(timer);
        const code = e instanceof ApiError ? e.code : null;
        setState(code === 'LOGIN_TICKET_EXPIRED' ? 'expired' : 'error');
        setMessage(errorZh(e));
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [state, ticket]);

  /** Demo: the persona's phone signs in to the mini-program and confirms this ticket through the real mutation. */
  async function confirmAs(user: string) {
    if (!ticket) return;
    setBusy(user);
    setMessage(null);
    try {
      const res = await fetch('/demo/wx-code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
      const { code } = (await res.json()) as { code?: string };
      if (!code) throw new ApiError('WECHAT_LOGIN_FAILED', `HTTP ${res.status}`);
      const { login } = await request(LoginDocument, { code }, { token: null });
      await request(ConfirmConsoleLoginDocument, { ticket: ticket.ticket }, { token: login.token });
    } catch (e) {
      setMessage(errorZh(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Card title="圈子 · 管理后台登录" style={{ width: 420 }}>
        <Flex vertical align="center" gap={12}>
          <QRCode
            data-testid="login-qr"
            value={ticket?.qrPayload ?? '-'}
            size={220}
            status={state === 'loading' ? 'loading' : state === 'expired' ? 'expired' : 'active'}
            onRefresh={fresh}
          />
          <Typography.Text>请使用圈子小程序（经理账号）扫码，并在手机上确认登录</Typography.Text>
          {ticket && state === 'pending' && <Typography.Text type="secondary">二维码有效期至 {beijingTime(ticket.expiresAt)}（北京时间）</Typography.Text>}
          {state === 'expired' && (
            <Button type="primary" onClick={fresh}>
              刷新二维码
            </Button>
          )}
          {message && <Alert type={state === 'expired' ? 'warning' : 'error'} title={message} showIcon data-testid="login-error" />}
          {personas.length > 0 && state === 'pending' && (
            <Card size="small" type="inner" title="演示：以下身份在手机上确认" style={{ width: '100%' }}>
              <Space wrap>
                {personas.map((p) => (
                  <Button key={p.user} loading={busy === p.user} onClick={() => confirmAs(p.user)} data-testid={`persona-${p.user}`}>
                    {p.user} · {p.description}
                  </Button>
                ))}
              </Space>
            </Card>
          )}
        </Flex>
      </Card>
    </Flex>
  );
}
