/**
 * The gateway's registrar for browsers (RFC 3261 §10.3 with RFC 5626
 * instance/reg-id). Digest-authenticated with the user's Linegate password,
 * or with the SIP identity of one of the user's browser sessions ("~<id>",
 * store/sessions.ts); MD5 is challenged last (see sip/auth/server.ts).
 * Pure with respect to I/O: a REGISTER and its flow in, a response out.
 */
import { isLinegateError } from '#shared/errors.ts';
import type { DigestServer } from '../sip/auth/server.ts';
import type { HashName } from '../sip/auth/digest.ts';
import { createResponse } from '../sip/message/build.ts';
import {
  callId,
  contacts,
  cseq,
  expires,
  formatNameAddr,
  getHeader,
  to,
} from '../sip/message/headers.ts';
import type { HeaderField, NameAddr, SipRequest, SipResponse } from '../sip/message/types.ts';
import type { Binding, BindingStore } from './bindings.ts';

export interface RegistrarOptions {
  readonly digest: DigestServer;
  /**
   * Who a digest user name is and what verifies it: a Linegate user with
   * their password, or a browser session ("~<id>") with its HA1 for `hash`.
   * Undefined for an unknown name.
   */
  readonly credentials: (authUser: string, hash: HashName) => Credentials | undefined;
  readonly bindings: BindingStore;
  readonly now: () => number;
  /** §10.3 step 7: shorter requests get 423 with Min-Expires. */
  readonly minExpires?: number;
  /** Longer requests are shortened to this. */
  readonly maxExpires?: number;
  /** When neither the Contact nor the request says (§10.2.1.1). */
  readonly defaultExpires?: number;
  /** Devices one user may have registered at once. */
  readonly maxBindingsPerUser?: number;
}

export interface Credentials {
  /** The Linegate user the digest identity belongs to. */
  readonly username: string;
  readonly secret: string | { readonly ha1: string };
}

export interface RegisterFlow {
  readonly id: string;
  /** Only WebSocket flows can carry browser registrations. */
  readonly reliable: boolean;
}

type Refused = { kind: 'refused'; response: SipResponse; username?: string };

export type RegisterResult =
  | { kind: 'challenged'; response: SipResponse }
  | Refused
  | { kind: 'ok'; response: SipResponse; username: string; bindings: Binding[] };

export function handleRegister(
  req: SipRequest,
  flow: RegisterFlow,
  opts: RegistrarOptions,
): RegisterResult {
  try {
    return register(req, flow, opts);
  } catch (e) {
    // A header the parser accepted lazily (Contact, To, Expires) is malformed.
    if (isLinegateError(e, 'sip.parse')) return refuse(req, 400, `Bad Request - ${e.message}`);
    throw e;
  }
}

function register(req: SipRequest, flow: RegisterFlow, opts: RegistrarOptions): RegisterResult {
  if (!flow.reliable) {
    return refuse(req, 403, 'Forbidden - register over the WebSocket at /sip');
  }
  const auth = authenticate(req, opts);
  if (auth.kind !== 'user') return auth.result;
  const { username, authUser } = auth;
  // §10.3 step 6: the authenticated user may change only their own AOR.
  const aor = to(req).uri;
  if (aor.kind !== 'sip' || aor.user !== username) {
    return { ...refuse(req, 403, 'Forbidden - To must be your own address'), username };
  }
  const list = contacts(req);
  const now = opts.now();
  const result =
    list === '*'
      ? unregisterAll(req, username, opts)
      : applyContacts(req, list, { username, authUser }, flow, now, opts);
  if (result) return { ...result, username };
  const current = opts.bindings.lookup(username, now);
  const headers: HeaderField[] = current.map((b) => ({
    name: 'Contact',
    value: contactValue(b, now),
  }));
  headers.push({ name: 'Date', value: new Date(now).toUTCString() });
  return {
    kind: 'ok',
    response: createResponse(req, 200, undefined, { toTag: true, headers }),
    username,
    bindings: current,
  };
}

type AuthOutcome =
  { kind: 'user'; username: string; authUser: string } | { kind: 'fail'; result: RegisterResult };

function authenticate(req: SipRequest, opts: RegistrarOptions): AuthOutcome {
  const header = getHeader(req, 'Authorization');
  if (header === undefined) return { kind: 'fail', result: challenge(req, opts, false) };
  const v = opts.digest.verify({
    header,
    method: req.method,
    lookup: (user, _realm, hash) => opts.credentials(user, hash)?.secret,
  });
  if (v.ok) {
    const who = opts.credentials(v.username, 'MD5');
    if (who !== undefined) return { kind: 'user', username: who.username, authUser: v.username };
    return { kind: 'fail', result: challenge(req, opts, false) };
  }
  switch (v.reason) {
    case 'malformed':
    case 'uri-mismatch':
      return { kind: 'fail', result: refuse(req, 400, `Bad Request - ${v.reason} Authorization`) };
    default:
      // Unknown user and wrong password look the same from outside, so
      // usernames cannot be probed (RFC 7616 §5.4); `stale` only when the
      // password was right but the nonce had expired (§3.3).
      return { kind: 'fail', result: challenge(req, opts, v.stale) };
  }
}

function challenge(req: SipRequest, opts: RegistrarOptions, stale: boolean): RegisterResult {
  const headers = opts.digest
    .challenge({ stale })
    .map((value) => ({ name: 'WWW-Authenticate', value }));
  return {
    kind: 'challenged',
    response: createResponse(req, 401, undefined, { toTag: true, headers }),
  };
}

function refuse(
  req: SipRequest,
  status: number,
  reason: string,
  headers: HeaderField[] = [],
): Refused {
  return {
    kind: 'refused',
    response: createResponse(req, status, reason, { toTag: true, headers }),
  };
}

/** §10.2.2: "Contact: *" with Expires: 0 removes every binding of the AOR. */
function unregisterAll(
  req: SipRequest,
  username: string,
  opts: RegistrarOptions,
): Refused | undefined {
  if (expires(req) !== 0) return refuse(req, 400, 'Bad Request - Contact: * needs Expires: 0');
  for (const b of opts.bindings.lookup(username, Number.NEGATIVE_INFINITY)) {
    opts.bindings.remove(username, b.key, 'unregistered');
  }
  return undefined;
}

function applyContacts(
  req: SipRequest,
  list: NameAddr[],
  who: { username: string; authUser: string },
  flow: RegisterFlow,
  now: number,
  opts: RegistrarOptions,
): Refused | undefined {
  const { username, authUser } = who;
  const min = opts.minExpires ?? 60;
  const max = opts.maxExpires ?? 3600;
  const plan = list.map((c) => ({
    contact: c,
    key: bindingKey(c),
    seconds: requestedExpiry(req, c, opts),
  }));
  // §10.3 step 7: validate everything before changing anything.
  for (const p of plan) {
    if (p.seconds > 0 && p.seconds < min) {
      return refuse(req, 423, 'Interval Too Brief', [{ name: 'Min-Expires', value: String(min) }]);
    }
    const old = opts.bindings.get(username, p.key);
    if (old && old.callId === callId(req) && old.cseq >= cseq(req).seq) {
      return refuse(req, 500, 'Server Internal Error - out of order REGISTER');
    }
  }
  const added = plan.filter((p) => p.seconds > 0 && !opts.bindings.get(username, p.key)).length;
  if (opts.bindings.count(username) + added > (opts.maxBindingsPerUser ?? 10)) {
    return refuse(req, 403, 'Forbidden - too many devices registered');
  }
  for (const p of plan) {
    if (p.seconds === 0) {
      opts.bindings.remove(username, p.key, 'unregistered');
      continue;
    }
    const seconds = Math.min(p.seconds, max);
    opts.bindings.put({
      username,
      contact: p.contact,
      key: p.key,
      flowId: flow.id,
      authUser,
      callId: callId(req),
      cseq: cseq(req).seq,
      expiresAt: now + seconds * 1000,
    });
  }
  return undefined;
}

function requestedExpiry(req: SipRequest, c: NameAddr, opts: RegistrarOptions): number {
  const param = c.params.get('expires');
  if (param !== undefined && param !== null) return Number(param);
  return expires(req) ?? opts.defaultExpires ?? 600;
}

/** RFC 5626 §6: a device is its +sip.instance plus reg-id; otherwise the contact URI. */
function bindingKey(c: NameAddr): string {
  const instance = c.params.get('+sip.instance');
  if (instance !== undefined && instance !== null)
    return `${instance}|${c.params.get('reg-id') ?? ''}`;
  return c.uri.kind === 'sip'
    ? `${c.uri.scheme}:${c.uri.user ?? ''}@${c.uri.host}:${c.uri.port ?? ''}`
    : c.uri.text;
}

/** The binding's Contact with its remaining lifetime (§10.3 step 8). */
function contactValue(b: Binding, now: number): string {
  const params = new Map(b.contact.params);
  params.set('expires', String(Math.max(0, Math.round((b.expiresAt - now) / 1000))));
  return formatNameAddr({ ...b.contact, params });
}
