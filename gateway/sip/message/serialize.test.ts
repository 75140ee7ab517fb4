import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { addHeader, getHeaders } from './headers.ts';
import { parseMessage } from './parse.ts';
import { sample200, sampleInvite } from './samples.ts';
import { serializeMessage } from './serialize.ts';
import type { Framing, SipMessage } from './types.ts';
import { parseUri } from './uri.ts';

function parsed(data: Buffer, framing: Framing = 'datagram'): SipMessage {
  const r = parseMessage(data, { framing });
  if (!r.ok) assert.fail(String(r.error.details['reason']));
  return r.message;
}

/** A message without Content-Length, which serialization recomputes. */
function comparable(m: SipMessage): unknown {
  return {
    ...m,
    headers: m.headers.filter((f) => f.name !== 'Content-Length'),
    body: m.body.toString('hex'),
  };
}

const fixtures = new URL('./fixtures/rfc4475/', import.meta.url);
const valid = readdirSync(fixtures)
  .filter((f) => f.endsWith('.dat'))
  .map((f) => ({ name: f, data: readFileSync(new URL(f, fixtures)) }))
  .filter(({ data }) => parseMessage(data, { framing: 'datagram' }).ok);

describe('serializeMessage', () => {
  it('writes the start line, headers in order, Content-Length and the body', () => {
    const m = parsed(
      Buffer.from(
        'OPTIONS sip:a@b.com SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bKx\r\nl: 5\r\nf: <sip:c@d>;tag=1\r\nt: <sip:a@b.com>\r\ni: 1\r\nCSeq: 1 OPTIONS\r\n\r\nhello',
      ),
      'frame',
    );
    assert.equal(
      serializeMessage(m).toString(),
      'OPTIONS sip:a@b.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nContent-Length: 5\r\nFrom: <sip:c@d>;tag=1\r\n' +
        'To: <sip:a@b.com>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\nhello',
    );
  });

  it('appends Content-Length when there was none, and writes responses', () => {
    const out = serializeMessage({
      kind: 'response',
      status: 486,
      reason: 'Busy Here',
      headers: [{ name: 'X-A', value: '1' }],
      body: Buffer.alloc(0),
    });
    assert.equal(out.toString(), 'SIP/2.0 486 Busy Here\r\nX-A: 1\r\nContent-Length: 0\r\n\r\n');
  });

  it('replaces every received Content-Length by one computed from the body', () => {
    const m: SipMessage = {
      kind: 'request',
      method: 'MESSAGE',
      uri: parseUri('sip:a@b'),
      body: Buffer.from('héllo'),
      headers: [
        { name: 'l', value: '1' },
        { name: 'content-length', value: '2' },
      ],
    };
    assert.equal(
      serializeMessage(m).toString(),
      'MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 6\r\n\r\nhéllo',
    );
  });

  it('refuses header values that would inject lines', () => {
    const m = parsed(sampleInvite());
    m.headers.push({ name: 'X-Evil', value: 'a\r\nVia: b' });
    assert.throws(
      () => serializeMessage(m),
      (e: unknown) => isLinegateError(e, 'internal'),
    );
  });

  it('refuses a start line that would inject lines', () => {
    const res = {
      kind: 'response' as const,
      status: 200,
      reason: 'OK\r\nVia: x',
      headers: [],
      body: Buffer.alloc(0),
    };
    assert.throws(
      () => serializeMessage(res),
      (e: unknown) => isLinegateError(e, 'internal'),
    );
  });

  it('keeps UTF-8 in header values and binary bodies intact', () => {
    const m = parsed(sample200());
    addHeader(m, 'Subject', 'Grüße ☎');
    m.body = Buffer.from([0, 255, 13, 10, 1]);
    const again = parsed(serializeMessage(m));
    assert.equal(getHeaders(again, 'Subject')[0]?.value, 'Grüße ☎');
    assert.deepEqual(again.body, m.body);
  });
});

describe('round trip: parse(serialize(parse(x))) equals parse(x)', () => {
  it(`holds for the ${valid.length} valid RFC 4475 messages and the samples`, () => {
    const all = [
      ...valid,
      { name: 'invite', data: sampleInvite() },
      { name: '200', data: sample200() },
    ];
    for (const { name, data } of all) {
      const first = parsed(data);
      const bytes = serializeMessage(first);
      for (const framing of ['datagram', 'frame'] as const) {
        const second = parsed(bytes, framing);
        assert.deepEqual(comparable(second), comparable(first), `${name} (${framing})`);
        assert.deepEqual(
          getHeaders(second, 'Content-Length').map((f) => f.value),
          [String(first.body.length)],
          name,
        );
      }
      assert.deepEqual(
        serializeMessage(parsed(bytes)),
        bytes,
        `${name}: serialization is a fixed point`,
      );
    }
  });
});
