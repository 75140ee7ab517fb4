/**
 * Raw SIP for hostile-input tests: a WebSocket client that registers with
 * digest like a browser would (the gateway's own digest client answers the
 * 401) and then sends whatever text a test wants, and a UDP sender that
 * speaks from any 127/8 address. Both return the first final response.
 */
import { createSocket } from 'node:dgram';
import { WebSocket } from 'ws';
import { ClientAuthState } from '../../gateway/sip/auth/client-state.ts';
import { parseMessage } from '../../gateway/sip/message/parse.ts';
import { getHeaders } from '../../gateway/sip/message/headers.ts';
import type { SipResponse } from '../../gateway/sip/message/types.ts';

export interface RawRequest {
  readonly method: string;
  readonly uri: string;
  readonly from: string;
  readonly to: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly headers?: readonly string[];
  readonly body?: string;
  /** Leave out Contact (for INVITEs, which otherwise get one). */
  readonly noContact?: boolean;
}

let counter = 0;

export function rawRequest(r: RawRequest, via: string): string {
  counter++;
  const body = r.body ?? '';
  const lines = [
    `${r.method} ${r.uri} SIP/2.0`,
    `Via: ${via};branch=z9hG4bK-raw-${process.pid}-${counter}`,
    'Max-Forwards: 70',
    `From: ${r.from}`,
    `To: ${r.to}`,
    `Call-ID: ${r.callId ?? `raw-${process.pid}-${counter}`}`,
    `CSeq: ${r.cseq ?? counter} ${r.method}`,
    ...(r.method === 'INVITE' && r.noContact !== true ? ['Contact: <sip:raw@raw.invalid>'] : []),
    ...(r.headers ?? []),
    ...(body.length > 0 && !(r.headers ?? []).some((h) => /^content-type:/i.test(h))
      ? ['Content-Type: application/sdp']
      : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

function finalOf(data: Buffer): SipResponse | undefined {
  const parsed = parseMessage(data, { framing: 'frame' });
  if (!parsed.ok || parsed.message.kind !== 'response') return undefined;
  return parsed.message.status >= 200 ? parsed.message : undefined;
}

export interface RawWsClient {
  /** Sends a request and resolves with its final response (5 s at most). */
  send(r: RawRequest): Promise<SipResponse>;
  close(): void;
}

/** Connects to /sip and registers `user` (digest), like JsSIP does. */
export async function rawWsClient(
  url: string,
  user: string,
  password: string,
): Promise<RawWsClient> {
  const ws = new WebSocket(url, 'sip');
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const via = 'SIP/2.0/WS raw.invalid';
  const send = (r: RawRequest): Promise<SipResponse> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no final answer to ${r.method}`)), 5000);
      const onMessage = (data: Buffer) => {
        const res = finalOf(data);
        if (res === undefined) return;
        clearTimeout(timer);
        ws.off('message', onMessage);
        resolve(res);
      };
      ws.on('message', onMessage);
      ws.send(rawRequest(r, via));
    });
  const auth = new ClientAuthState({ credentials: () => ({ username: user, password }) });
  const register = (extra: readonly string[], cseq: number): RawRequest => ({
    method: 'REGISTER',
    uri: 'sip:linegate',
    from: `<sip:${user}@linegate>;tag=reg`,
    to: `<sip:${user}@linegate>`,
    callId: `reg-${user}-${process.pid}`,
    cseq,
    headers: ['Contact: <sip:raw@raw.invalid;transport=ws>;expires=600', ...extra],
  });
  const challenge = await send(register([], 1));
  const outcome = auth.onChallenge({
    challenges: getHeaders(challenge, 'WWW-Authenticate').map((f) => ({
      name: f.name,
      value: f.value,
    })),
    sent: [],
    request: { method: 'REGISTER', uri: 'sip:linegate' },
  });
  if (outcome.action !== 'retry') throw new Error(`cannot answer the challenge: ${outcome.reason}`);
  const ok = await send(
    register(
      outcome.headers.map((h) => `${h.name}: ${h.value}`),
      2,
    ),
  );
  if (ok.status !== 200) throw new Error(`REGISTER got ${ok.status}`);
  return { send, close: () => ws.close() };
}

/** One request over UDP from `fromAddress`; resolves with the first final response. */
export async function rawUdp(
  fromAddress: string,
  to: { host: string; port: number },
  r: RawRequest,
): Promise<SipResponse> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, fromAddress, resolve));
  const via = `SIP/2.0/UDP ${fromAddress}:${socket.address().port}`;
  try {
    return await new Promise<SipResponse>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no final answer to ${r.method}`)), 5000);
      socket.on('message', (data) => {
        const res = finalOf(data);
        if (res === undefined) return;
        clearTimeout(timer);
        resolve(res);
      });
      socket.send(rawRequest(r, via), to.port, to.host);
    });
  } finally {
    socket.close();
  }
}
