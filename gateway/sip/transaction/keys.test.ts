import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SipUri, Via } from '../message/types.ts';
import {
  type LegacyKeyFields,
  clientTransactionKey,
  inviteKeyForCancel,
  isRfc3261Branch,
  legacyAckKey,
  legacyInviteKeyForCancel,
  legacyServerTransactionKey,
  serverTransactionKey,
} from './keys.ts';

const sentBy = { host: 'pc33.atlanta.com', port: 5060 };
const branch = 'z9hG4bK776asdhds';
const key = (
  method: string,
  over: Partial<{ branch: string; host: string; port: number | undefined }> = {},
) =>
  serverTransactionKey({
    branch: over.branch ?? branch,
    sentBy: { host: over.host ?? sentBy.host, port: 'port' in over ? over.port : sentBy.port },
    method,
  });

describe('isRfc3261Branch (§17.2.3 magic cookie)', () => {
  it('accepts branches starting with z9hG4bK', () => {
    assert.equal(isRfc3261Branch(branch), true);
  });
  it('compares the cookie case-insensitively (§7.3.1)', () => {
    assert.equal(isRfc3261Branch('Z9HG4BKabc'), true);
  });
  it('refuses RFC 2543 branches', () => {
    assert.equal(isRfc3261Branch('776asdhds'), false);
  });
  it('refuses a missing branch', () => {
    assert.equal(isRfc3261Branch(undefined), false);
  });
  it('refuses a truncated cookie', () => {
    assert.equal(isRfc3261Branch('z9hG4b'), false);
  });
});

describe('serverTransactionKey (§17.2.3)', () => {
  it('a retransmission has the key of the original', () => {
    assert.equal(key('INVITE'), key('INVITE'));
  });
  it('an ACK matches the INVITE transaction (method normalised)', () => {
    assert.equal(key('ACK'), key('INVITE'));
  });
  it('a CANCEL is a transaction of its own', () => {
    assert.notEqual(key('CANCEL'), key('INVITE'));
  });
  it('inviteKeyForCancel gives the INVITE the CANCEL names (§9.2)', () => {
    assert.equal(inviteKeyForCancel({ branch, sentBy }), key('INVITE'));
  });
  it('another method is another transaction', () => {
    assert.notEqual(key('BYE'), key('INVITE'));
  });
  it('methods compare case-sensitively (§7.1)', () => {
    assert.notEqual(key('invite'), key('INVITE'));
  });
  it('another branch is another transaction', () => {
    assert.notEqual(key('INVITE', { branch: 'z9hG4bK776asdhdt' }), key('INVITE'));
  });
  it('the same branch from another sent-by is another transaction', () => {
    assert.notEqual(key('INVITE', { host: 'pc34.atlanta.com' }), key('INVITE'));
    assert.notEqual(key('INVITE', { port: 5070 }), key('INVITE'));
  });
  it('an absent port stays distinct from an explicit one', () => {
    assert.notEqual(key('INVITE', { port: undefined }), key('INVITE'));
  });
  it('branch and host compare case-insensitively (§7.3.1, §20.42)', () => {
    assert.equal(
      key('INVITE', { branch: branch.toUpperCase(), host: 'PC33.Atlanta.COM' }),
      key('INVITE'),
    );
  });
  it('keeps IPv6 references apart from similar hosts', () => {
    assert.notEqual(
      key('INVITE', { host: '[2001:db8::10]', port: 5060 }),
      key('INVITE', { host: '[2001:db8::1]', port: 5060 }),
    );
  });
});

describe('clientTransactionKey (§17.1.3)', () => {
  const c = (b: string, cseqMethod: string) => clientTransactionKey({ branch: b, cseqMethod });
  it('a response finds its request by branch and CSeq method', () => {
    assert.equal(c(branch, 'INVITE'), c(branch, 'INVITE'));
  });
  it('the 200 to a CANCEL does not match the INVITE sharing its branch', () => {
    assert.notEqual(c(branch, 'CANCEL'), c(branch, 'INVITE'));
  });
  it('another branch is another transaction', () => {
    assert.notEqual(c('z9hG4bKother', 'INVITE'), c(branch, 'INVITE'));
  });
  it('is not a server key', () => {
    assert.notEqual(c(branch, 'INVITE'), key('INVITE'));
  });
});

describe('RFC 2543 fallback keys (§17.2.3)', () => {
  const uri = (over: Partial<SipUri> = {}): SipUri => ({
    kind: 'sip',
    scheme: 'sip',
    user: 'bob',
    password: undefined,
    host: 'biloxi.com',
    port: undefined,
    params: new Map<string, string | null>([
      ['transport', 'udp'],
      ['lr', null],
    ]),
    headers: new Map(),
    ...over,
  });
  const via = (over: Partial<Via> = {}): Via => ({
    protocol: 'SIP/2.0',
    transport: 'UDP',
    host: 'pc33.atlanta.com',
    port: undefined,
    params: new Map<string, string | null>([
      ['branch', '776asdhds'],
      ['ttl', '16'],
    ]),
    ...over,
  });
  const invite: LegacyKeyFields = {
    requestUri: uri(),
    toTag: undefined,
    fromTag: '1928301774',
    callId: 'a84b4c76e66710',
    cseq: 314159,
    method: 'INVITE',
    topVia: via(),
  };
  const inviteKey = legacyServerTransactionKey(invite);

  it('a retransmitted INVITE has the key of the original', () => {
    assert.equal(legacyServerTransactionKey({ ...invite }), inviteKey);
  });
  it('folds case and order where §19.1.4 and §7.3.1 allow', () => {
    const reordered = {
      ...invite,
      requestUri: uri({
        host: 'BILOXI.com',
        params: new Map([
          ['lr', null],
          ['transport', 'UDP'],
        ]),
      }),
      topVia: via({
        transport: 'udp',
        params: new Map([
          ['ttl', '16'],
          ['branch', '776asdhds'],
        ]),
      }),
    };
    assert.equal(legacyServerTransactionKey(reordered), inviteKey);
  });
  it('keeps the URI user case-sensitive (§19.1.4)', () => {
    assert.notEqual(
      legacyServerTransactionKey({ ...invite, requestUri: uri({ user: 'Bob' }) }),
      inviteKey,
    );
  });
  it('differs in Call-ID, CSeq, From tag, To tag or top Via', () => {
    for (const changed of [
      { callId: 'other' },
      { cseq: 314160 },
      { fromTag: 'x' },
      { toTag: 'y' },
      { topVia: via({ port: 5070 }) },
      { method: 'OPTIONS' },
    ]) {
      assert.notEqual(
        legacyServerTransactionKey({ ...invite, ...changed }),
        inviteKey,
        JSON.stringify(changed),
      );
    }
  });
  it("an ACK finds the INVITE through the To tag of the transaction's response", () => {
    const ack: LegacyKeyFields = { ...invite, method: 'ACK', toTag: '8321234356' };
    assert.equal(legacyServerTransactionKey(ack), legacyAckKey(invite, '8321234356'));
    assert.notEqual(legacyServerTransactionKey(ack), inviteKey);
    assert.notEqual(
      legacyServerTransactionKey({ ...ack, toTag: 'other' }),
      legacyAckKey(invite, '8321234356'),
    );
    assert.notEqual(
      legacyServerTransactionKey({ ...ack, cseq: 1 }),
      legacyAckKey(invite, '8321234356'),
    );
  });
  it('a CANCEL is its own transaction and names the INVITE (§9.1, §9.2)', () => {
    const cancel: LegacyKeyFields = { ...invite, method: 'CANCEL' };
    assert.notEqual(legacyServerTransactionKey(cancel), inviteKey);
    assert.equal(legacyInviteKeyForCancel(cancel), inviteKey);
  });
  it('handles non-SIP Request-URIs as text', () => {
    const tel = {
      ...invite,
      requestUri: { kind: 'absolute', scheme: 'tel', text: 'tel:+1-201-555-0123' } as const,
    };
    assert.equal(legacyServerTransactionKey(tel), legacyServerTransactionKey({ ...tel }));
    assert.notEqual(legacyServerTransactionKey(tel), inviteKey);
  });
});
