import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import { answerChallenge } from '../sip/auth/client.ts';
import { createDigestServer } from '../sip/auth/server.ts';
import { contacts, getHeader, getHeaders, setHeader } from '../sip/message/headers.ts';
import { parseMessage } from '../sip/message/parse.ts';
import type { SipRequest } from '../sip/message/types.ts';
import { BindingStore, type BindingEvent } from './bindings.ts';
import { handleRegister, type RegistrarOptions } from './registrar.ts';

/** A REGISTER as JsSIP 3.13 sends it (notes/jssip.md). */
function register(
  opts: {
    user?: string;
    instance?: string;
    expires?: number;
    cseq?: number;
    callId?: string;
    contact?: string;
  } = {},
): SipRequest {
  const user = opts.user ?? 'alice';
  const contact =
    opts.contact ??
    `<sip:k3b9x2qa@df7jal23ls0d.invalid;transport=ws>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:${opts.instance ?? 'a1b2c3d4-0000-4000-8000-000000000001'}>";expires=${opts.expires ?? 600}`;
  const text = [
    'REGISTER sip:gw.example SIP/2.0',
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK' + randomBytes(4).toString('hex'),
    'Max-Forwards: 69',
    `To: <sip:${user}@gw.example>`,
    `From: <sip:${user}@gw.example>;tag=ud4vs2`,
    `Call-ID: ${opts.callId ?? 'cid-1'}`,
    `CSeq: ${opts.cseq ?? 1} REGISTER`,
    `Contact: ${contact}`,
    'Expires: 600',
    'Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY',
    'Supported: path,gruu,outbound',
    'User-Agent: JsSIP 3.13.8',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const r = parseMessage(Buffer.from(text), { framing: 'frame' });
  assert.ok(r.ok && r.message.kind === 'request');
  return r.message;
}

describe('registrar', () => {
  let now = 1_000_000;
  let opts: RegistrarOptions;
  let events: BindingEvent[];
  const flow = { id: 'ws-1', reliable: true };

  beforeEach(() => {
    now = 1_000_000;
    const bindings = new BindingStore();
    events = [];
    bindings.onChange((e) => events.push(e));
    opts = {
      digest: createDigestServer({ realm: 'gw.example', now: () => now, random: randomBytes }),
      credentials: (u) => {
        const password = new Map([
          ['alice', 'secret'],
          ['bob', 'pw'],
        ]).get(u);
        return password === undefined ? undefined : { username: u, secret: password };
      },
      bindings,
      now: () => now,
    };
  });

  /** Sends req, answers the 401 like JsSIP (first challenge, MD5), returns the final result. */
  function authed(req: SipRequest, password = 'secret', user = 'alice') {
    const first = handleRegister(req, flow, opts);
    assert.equal(first.response.status, 401);
    const challenges = getHeaders(first.response, 'WWW-Authenticate').map((h) => h.value);
    assert.match(
      challenges.at(-1) ?? '',
      /algorithm=MD5/,
      'MD5 must come last for JsSIP (its parser keeps the last field)',
    );
    const answer = answerChallenge({
      challenge: challenges.at(-1)!,
      method: 'REGISTER',
      uri: 'sip:gw.example',
      username: user,
      password,
      nonceCount: 1,
    });
    setHeader(req, 'Authorization', answer.header);
    setHeader(req, 'CSeq', '2 REGISTER');
    return handleRegister(req, flow, opts);
  }

  it('challenges, then registers and echoes the contact with instance and reg-id', () => {
    const r = authed(register());
    assert.equal(r.kind, 'ok');
    assert.equal(r.response.status, 200);
    const c = contacts(r.response);
    assert.ok(c !== '*' && c.length === 1);
    assert.equal(
      c[0]!.params.get('+sip.instance'),
      '"<urn:uuid:a1b2c3d4-0000-4000-8000-000000000001>"',
    );
    assert.equal(c[0]!.params.get('reg-id'), '1');
    assert.equal(c[0]!.params.get('expires'), '600');
    assert.deepEqual(
      events.map((e) => e.type),
      ['added'],
    );
  });

  it('refuses a wrong password with a fresh challenge, not a hint', () => {
    const r = authed(register(), 'wrong');
    assert.equal(r.response.status, 401);
    assert.equal(opts.bindings.size, 0);
  });

  it("refuses registering someone else's address", () => {
    const req = register({ user: 'bob' });
    const r = authed(req, 'secret', 'alice');
    assert.equal(r.response.status, 403);
  });

  it('keeps several devices of one user and replaces a reconnecting device', () => {
    authed(register({ instance: 'a1b2c3d4-0000-4000-8000-000000000001', callId: 'c1' }));
    authed(register({ instance: 'a1b2c3d4-0000-4000-8000-000000000002', callId: 'c2' }));
    assert.equal(opts.bindings.lookup('alice', now).length, 2);
    // The first device reconnects on a new WebSocket: same instance, new flow.
    const again = register({ instance: 'a1b2c3d4-0000-4000-8000-000000000001', callId: 'c3' });
    const first = handleRegister(again, { id: 'ws-2', reliable: true }, opts);
    const answer = answerChallenge({
      challenge: getHeaders(first.response, 'WWW-Authenticate').at(-1)!.value,
      method: 'REGISTER',
      uri: 'sip:gw.example',
      username: 'alice',
      password: 'secret',
      nonceCount: 1,
    });
    setHeader(again, 'Authorization', answer.header);
    const r = handleRegister(again, { id: 'ws-2', reliable: true }, opts);
    assert.equal(r.response.status, 200);
    assert.equal(opts.bindings.lookup('alice', now).length, 2);
    assert.ok(events.some((e) => e.type === 'removed' && e.why === 'replaced'));
  });

  it('removes the bindings of a closed WebSocket', () => {
    authed(register());
    assert.equal(opts.bindings.removeFlow('ws-1'), 1);
    assert.equal(opts.bindings.lookup('alice', now).length, 0);
  });

  it('answers 423 with Min-Expires for too short an interval', () => {
    const r = authed(register({ expires: 5 }));
    assert.equal(r.response.status, 423);
    assert.equal(getHeader(r.response, 'Min-Expires'), '60');
  });

  it('shortens too long an interval and expires bindings on time', () => {
    const r = authed(register({ expires: 86400 }));
    assert.ok(r.kind === 'ok');
    assert.equal(r.bindings[0]!.expiresAt, now + 3600_000);
    now += 3600_000;
    assert.equal(opts.bindings.expire(now), 1);
  });

  it('unregisters with expires=0', () => {
    authed(register());
    const r = authed(register({ expires: 0, cseq: 5, callId: 'other' }));
    assert.equal(r.response.status, 200);
    assert.equal(opts.bindings.size, 0);
  });

  it('refuses registrations over UDP', () => {
    assert.equal(
      handleRegister(register(), { id: 'udp', reliable: false }, opts).response.status,
      403,
    );
  });

  it('answers 400 for Contact: * without Expires: 0 (§10.2.2)', () => {
    const r = authed(register({ contact: '*' }));
    assert.equal(r.response.status, 400);
    assert.match(r.response.reason, /Expires: 0/);
  });

  it('limits the devices per user', () => {
    opts = { ...opts, maxBindingsPerUser: 1 };
    authed(register({ instance: 'a1b2c3d4-0000-4000-8000-000000000001', callId: 'c1' }));
    const r = authed(register({ instance: 'a1b2c3d4-0000-4000-8000-000000000002', callId: 'c2' }));
    assert.equal(r.response.status, 403);
  });
});

describe('binding store flow index', () => {
  it('knows which flows carry bindings', () => {
    const store = new BindingStore();
    const contact = {
      displayName: undefined,
      uri: { kind: 'absolute' as const, scheme: 'urn', text: 'urn:x' },
      params: new Map(),
    };
    const base = { username: 'u', authUser: 'u', contact, callId: 'c', cseq: 1, expiresAt: 10 };
    store.put({ ...base, key: 'a', flowId: 'f1' });
    store.put({ ...base, key: 'b', flowId: 'f1' });
    assert.equal(store.hasFlow('f1'), true);
    store.put({ ...base, key: 'a', flowId: 'f2' }); // device a moved to f2
    assert.equal(store.hasFlow('f2'), true);
    store.remove('u', 'b', 'unregistered');
    assert.equal(store.hasFlow('f1'), false);
    assert.equal(store.removeFlow('f2'), 1);
    assert.equal(store.hasFlow('f2'), false);
  });
});
