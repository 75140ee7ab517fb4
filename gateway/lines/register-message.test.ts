import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from '../sip/message/build.ts';
import { contacts, cseq, getHeader, to } from '../sip/message/headers.ts';
import { parseMessage } from '../sip/message/parse.ts';
import { serializeMessage } from '../sip/message/serialize.ts';
import { parseUri } from '../sip/message/uri.ts';
import type { SipUri } from '../sip/message/types.ts';
import { buildRegister, interpretRegisterResponse } from './register-message.ts';

const ours = parseUri('sip:201@127.0.0.1:5062') as SipUri;
const register = buildRegister({
  username: '201',
  registrar: { host: '127.0.0.1', port: 5070 },
  contact: ours,
  expires: 600,
  callId: 'reg-201@gw',
  cseq: 7,
  fromTag: 'ft1',
  userAgent: 'Linegate/test',
});

function respond(status: number, headers: { name: string; value: string }[] = []) {
  return createResponse(register, status, undefined, { toTag: true, headers });
}

describe('line REGISTER', () => {
  it('is a well-formed §10.2 REGISTER', () => {
    assert.equal(register.method, 'REGISTER');
    assert.equal(register.uri.kind === 'sip' && register.uri.user, undefined);
    const aor = to(register).uri;
    assert.equal(aor.kind === 'sip' && aor.port, 5070);
    assert.equal(cseq(register).seq, 7);
    const c = contacts(register);
    assert.ok(c !== '*');
    assert.equal(c[0]!.params.get('expires'), '600');
    assert.equal(getHeader(register, 'Expires'), '600');
    // Round-trips through the wire format (a Via is added by the transaction layer).
    const wire = serializeMessage({
      ...register,
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKx' },
        ...register.headers,
      ],
    });
    assert.ok(parseMessage(wire, { framing: 'datagram' }).ok);
  });

  it('reads the lifetime granted to our contact and lists foreign contacts', () => {
    const res = respond(200, [
      { name: 'Contact', value: '<sip:201@10.1.1.1:5060>;expires=3000' },
      { name: 'Contact', value: '<sip:201@127.0.0.1:5062>;expires=300' },
    ]);
    assert.deepEqual(interpretRegisterResponse(res, ours), {
      type: 'registered',
      expires: 300,
      foreignContacts: ['sip:201@10.1.1.1:5060'],
    });
  });

  it('falls back to the Expires header', () => {
    const res = respond(200, [{ name: 'Expires', value: '120' }]);
    assert.deepEqual(interpretRegisterResponse(res, ours), {
      type: 'registered',
      expires: 120,
      foreignContacts: [],
    });
  });

  it('maps 423, 401, 403, 503 with Retry-After, 408', () => {
    assert.deepEqual(
      interpretRegisterResponse(respond(423, [{ name: 'Min-Expires', value: '900' }]), ours),
      { type: 'interval-too-brief', minExpires: 900 },
    );
    const auth = interpretRegisterResponse(respond(401), ours);
    assert.ok(auth.type === 'failed' && auth.reason.kind === 'auth');
    assert.deepEqual(interpretRegisterResponse(respond(403), ours), {
      type: 'failed',
      reason: { kind: 'rejected', status: 403, reason: 'Forbidden' },
    });
    assert.deepEqual(
      interpretRegisterResponse(respond(503, [{ name: 'Retry-After', value: '120' }]), ours),
      {
        type: 'failed',
        reason: { kind: 'rejected', status: 503, reason: 'Service Unavailable' },
        retryAfter: 120,
      },
    );
    assert.deepEqual(interpretRegisterResponse(respond(408), ours), {
      type: 'failed',
      reason: { kind: 'timeout' },
    });
  });

  it('a 200 that does not list our contact is a bad response', () => {
    const res = respond(200, [{ name: 'Contact', value: '<sip:201@10.1.1.1:5060>;expires=3000' }]);
    const r = interpretRegisterResponse(res, ours);
    assert.ok(r.type === 'failed' && r.reason.kind === 'bad-response');
  });
});
