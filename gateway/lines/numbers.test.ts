import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from '../sip/message/build.ts';
import type { SipRequest } from '../sip/message/types.ts';
import { numbersFromRegistration } from './numbers.ts';

const req: SipRequest = {
  kind: 'request',
  method: 'REGISTER',
  uri: {
    kind: 'sip',
    scheme: 'sip',
    user: undefined,
    password: undefined,
    host: 'pbx',
    port: undefined,
    params: new Map(),
    headers: new Map(),
  },
  headers: [
    { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKx' },
    { name: 'From', value: '<sip:201@pbx>;tag=a' },
    { name: 'To', value: '<sip:201@pbx>' },
    { name: 'Call-ID', value: 'c' },
    { name: 'CSeq', value: '1 REGISTER' },
  ],
  body: Buffer.alloc(0),
};

const ok = (...pau: string[]) =>
  createResponse(req, 200, 'OK', {
    headers: pau.map((value) => ({ name: 'P-Associated-URI', value })),
  });

describe('numbers: auto', () => {
  it('takes the numbers of P-Associated-URI (RFC 3455), tel: and user=phone, in order, once each', () => {
    assert.deepEqual(
      numbersFromRegistration(
        ok(
          '<sip:+498912345201@pbx;user=phone>, <tel:+49-89-12345-0;phone-context=x>',
          '<sip:201@pbx>',
          '<tel:+4989123450>',
        ),
        '201',
      ),
      ['+498912345201', '+4989123450', '201'],
    );
  });

  it('ignores identities that are no numbers, and a malformed header', () => {
    assert.deepEqual(numbersFromRegistration(ok('<sip:alice@pbx>', '<<<'), '201'), ['201']);
  });

  it('falls back to the AOR user when it is a number, else none', () => {
    assert.deepEqual(numbersFromRegistration(ok(), '22'), ['22']);
    assert.deepEqual(numbersFromRegistration(ok(), 'reception'), []);
  });
});
