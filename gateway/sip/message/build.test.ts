import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BRANCH_COOKIE,
  REASON_PHRASES,
  createResponse,
  generateBranch,
  generateCallId,
  generateTag,
  reasonPhrase,
} from './build.ts';
import { TOKEN, WORD, allOf } from './chars.ts';
import { getHeader, getHeaders, tagOf, to } from './headers.ts';
import { parseMessage } from './parse.ts';
import { serializeMessage } from './serialize.ts';
import type { SipRequest } from './types.ts';

const INVITE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2d4790.1',
  'Via: SIP/2.0/WSS client.invalid;branch=z9hG4bK74bf9;received=192.0.2.101',
  'Max-Forwards: 69',
  'Record-Route: <sip:proxy.example.com;lr>',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 2 INVITE',
  'Timestamp: 54.2 0.5',
  'Contact: <sip:alice@client.invalid;transport=ws>',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function request(text = INVITE): SipRequest {
  const r = parseMessage(Buffer.from(text), { framing: 'datagram' });
  if (!r.ok || r.message.kind !== 'request') return assert.fail('bad test request');
  return r.message;
}

describe('createResponse (RFC 3261 §8.2.6)', () => {
  it('copies all Via in order, From, To, Call-ID and CSeq', () => {
    const req = request();
    const res = createResponse(req, 180, undefined, { toTag: 'bobtag' });
    assert.deepEqual([res.kind, res.status, res.reason], ['response', 180, 'Ringing']);
    assert.deepEqual(
      res.headers.map((f) => f.name),
      ['Via', 'Via', 'From', 'To', 'Call-ID', 'CSeq'],
    );
    assert.deepEqual(getHeaders(res, 'Via'), getHeaders(req, 'Via'));
    assert.equal(getHeader(res, 'From'), getHeader(req, 'From'));
    assert.equal(getHeader(res, 'To'), 'Bob <sip:bob@biloxi.example.com>;tag=bobtag');
    assert.equal(getHeader(res, 'CSeq'), '2 INVITE');
    // The copies are new objects: editing the response leaves the request alone.
    res.headers[0]!.value = 'changed';
    assert.notEqual(getHeader(req, 'Via'), 'changed');
  });

  it('copies Timestamp into 100 Trying only, and never tags a 100 (§8.2.6.1)', () => {
    const trying = createResponse(request(), 100, undefined, { toTag: true });
    assert.equal(getHeader(trying, 'Timestamp'), '54.2 0.5');
    assert.equal(tagOf(to(trying)), undefined);
    assert.equal(getHeader(createResponse(request(), 200), 'Timestamp'), undefined);
  });

  it('keeps an existing To tag and can generate one', () => {
    const inDialog = request(
      INVITE.replace('To: Bob <sip:bob@biloxi.example.com>', 'To: <sip:bob@b.com>;tag=old'),
    );
    assert.equal(tagOf(to(createResponse(inDialog, 200, 'OK', { toTag: 'new' }))), 'old');
    const fresh = tagOf(to(createResponse(request(), 486, undefined, { toTag: true })));
    assert.ok(fresh !== undefined && fresh.length >= 8);
  });

  it('adds Record-Route, extra headers and a body on request', () => {
    const res = createResponse(request(), 200, 'OK', {
      toTag: 't',
      recordRoute: true,
      headers: [{ name: 'Contact', value: '<sip:bob@192.0.2.4>' }],
      body: Buffer.from('v=0\r\n'),
    });
    assert.equal(getHeader(res, 'Record-Route'), '<sip:proxy.example.com;lr>');
    assert.equal(getHeader(res, 'Contact'), '<sip:bob@192.0.2.4>');
    const wire = serializeMessage(res).toString();
    assert.match(wire, /^SIP\/2\.0 200 OK\r\n/);
    assert.match(wire, /\r\nContent-Length: 5\r\n\r\nv=0\r\n$/);
    assert.ok(parseMessage(Buffer.from(wire), { framing: 'frame' }).ok);
  });

  it('builds a 400 from the partial of a malformed request', () => {
    const r = parseMessage(
      Buffer.from(INVITE.replace('Call-ID: 3848276298220188511@atlanta.example.com\r\n', '')),
      { framing: 'datagram' },
    );
    assert.ok(!r.ok && r.partial !== undefined);
    const res = createResponse(
      {
        kind: 'request',
        method: r.partial.method,
        uri: { kind: 'absolute', scheme: 'x', text: 'x:y' },
        headers: r.partial.headers,
        body: Buffer.alloc(0),
      },
      r.partial.status,
      r.partial.reason,
      { toTag: true },
    );
    assert.equal(res.reason, 'Bad Request - Missing Call-ID');
    assert.equal(getHeaders(res, 'Via').length, 2);
  });

  it('tags a To it cannot parse, unless it visibly has a tag', () => {
    const req = request();
    const broken = {
      ...req,
      headers: req.headers.map((f) =>
        f.name === 'To' ? { ...f, value: '"Bob <sip:b@b.com>' } : f,
      ),
    };
    assert.equal(
      getHeader(createResponse(broken, 400, undefined, { toTag: 'x' }), 'To'),
      '"Bob <sip:b@b.com>;tag=x',
    );
    const tagged = { ...req, headers: [{ name: 'To', value: 'Bob, <sip:b@b.com>;TAG=y' }] };
    assert.equal(
      getHeader(createResponse(tagged, 400, undefined, { toTag: 'x' }), 'To'),
      'Bob, <sip:b@b.com>;TAG=y',
    );
  });
});

describe('reason phrases', () => {
  it('knows RFC 3261 §21 and the extension codes in use', () => {
    const expected: [number, string][] = [
      [100, 'Trying'],
      [183, 'Session Progress'],
      [202, 'Accepted'],
      [412, 'Conditional Request Failed'],
      [422, 'Session Interval Too Small'],
      [481, 'Call/Transaction Does Not Exist'],
      [489, 'Bad Event'],
      [491, 'Request Pending'],
      [503, 'Service Unavailable'],
      [603, 'Decline'],
    ];
    for (const [code, phrase] of expected) assert.equal(reasonPhrase(code), phrase);
    assert.ok(REASON_PHRASES.size > 60);
  });

  it('falls back to the class phrase for unknown codes (§21)', () => {
    assert.equal(reasonPhrase(299), 'OK');
    assert.equal(reasonPhrase(499), 'Bad Request');
  });
});

describe('generated identifiers', () => {
  it('branches start with the magic cookie and are tokens (§8.1.1.7)', () => {
    const b = generateBranch();
    assert.ok(b.startsWith(BRANCH_COOKIE) && b.length >= 20 && allOf(b, TOKEN));
  });

  it('tags and Call-IDs are valid and unique', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const tag = generateTag();
      const id = generateCallId('gw.example.com');
      assert.ok(allOf(tag, TOKEN) && tag.length >= 8);
      assert.ok(id.endsWith('@gw.example.com') && allOf(id.split('@')[0]!, WORD));
      seen.add(tag).add(id).add(generateBranch());
    }
    assert.equal(seen.size, 3000);
    assert.ok(!generateCallId().includes('@'));
  });
});
