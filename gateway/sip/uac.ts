/**
 * A UAC request with digest authentication (RFC 3261 §22.2): send, and when
 * the answer is 401/407, let the client auth state answer the challenge and
 * send again with CSeq + 1 (§8.1.3.5). Used by line registration and by
 * outgoing calls toward the PBX.
 */
import {
  getHeaders,
  removeHeader,
  addHeader,
  cseq,
  setHeader,
  formatCSeq,
} from './message/headers.ts';
import { formatUri } from './message/uri.ts';
import type { SipRequest, SipResponse } from './message/types.ts';
import type { ClientAuthState, AuthHeader, GiveUpReason } from './auth/client-state.ts';
import type {
  ClientHandlers,
  ClientTransaction,
  Destination,
  ResponseSource,
  SipStack,
} from './stack.ts';

export interface UacResult {
  readonly response: SipResponse;
  readonly source: ResponseSource;
  /** The request as last sent (with credentials and its final CSeq). */
  readonly request: SipRequest;
  /** Set when a 401/407 is final because the challenge could not be answered. */
  readonly authFailure?: GiveUpReason;
}

/** At most this many challenge rounds per request: a server that keeps challenging is refusing. */
const MAX_ROUNDS = 3;

export interface UacHooks {
  /** Each provisional response of the current attempt. */
  readonly onProvisional?: (res: SipResponse) => void;
  /** INVITE: each further 2xx (retransmission or another fork) — the TU ACKs it (§13.2.2.4). */
  readonly onAdditional2xx?: (res: SipResponse) => void;
  /** Each attempt's client transaction as it starts (an INVITE's CANCEL goes to the latest). */
  readonly onSent?: (tx: ClientTransaction) => void;
  /** Checked before answering a challenge: false ends with the 401/407 (the caller gave up). */
  readonly proceed?: () => boolean;
}

export function sendWithAuth(
  sip: SipStack,
  request: SipRequest,
  dest: Destination,
  auth: ClientAuthState,
  hooks: UacHooks = {},
): Promise<UacResult> {
  return new Promise((resolve) => {
    const attempt = (round: number, sent: readonly AuthHeader[]) => {
      setCredentials(request, sent);
      const handlers: ClientHandlers = {
        onFinal: (response: SipResponse, source: ResponseSource) => {
          if (source !== 'network' || (response.status !== 401 && response.status !== 407)) {
            resolve({ response, source, request });
            return;
          }
          if (hooks.proceed?.() === false) {
            resolve({ response, source, request });
            return;
          }
          const outcome = auth.onChallenge({
            challenges: challengesOf(response),
            sent,
            request: authRequest(request),
          });
          if (outcome.action === 'give-up' || round >= MAX_ROUNDS) {
            const authFailure: GiveUpReason =
              outcome.action === 'give-up' ? outcome.reason : 'rejected';
            resolve({ response, source, request, authFailure });
            return;
          }
          // §8.1.3.5: the retry is a new request: same Call-ID, CSeq + 1.
          const c = cseq(request);
          setHeader(request, 'CSeq', formatCSeq({ seq: c.seq + 1, method: c.method }));
          attempt(round + 1, outcome.headers);
        },
        ...(hooks.onProvisional ? { onProvisional: hooks.onProvisional } : {}),
        ...(hooks.onAdditional2xx ? { onAdditional2xx: hooks.onAdditional2xx } : {}),
      };
      const tx = sip.sendRequest(request, dest, handlers);
      hooks.onSent?.(tx);
    };
    attempt(1, auth.authorize(authRequest(request)));
  });
}

function authRequest(req: SipRequest) {
  return { method: req.method, uri: formatUri(req.uri), body: req.body };
}

function challengesOf(res: SipResponse) {
  return [...getHeaders(res, 'WWW-Authenticate'), ...getHeaders(res, 'Proxy-Authenticate')].map(
    (f) => ({
      name: f.name,
      value: f.value,
    }),
  );
}

function setCredentials(req: SipRequest, headers: readonly AuthHeader[]): void {
  removeHeader(req, 'Authorization');
  removeHeader(req, 'Proxy-Authorization');
  for (const h of headers) addHeader(req, h.name, h.value);
}
