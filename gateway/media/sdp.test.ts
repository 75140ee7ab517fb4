import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offerFormats, rewriteLocalSdp } from './client-sdp.ts';
import {
  answerDirection,
  buildPlainSdp,
  parseAudio,
  pickCodec,
  remoteTransport,
  telephoneEvent,
} from './sdp.ts';

const PBX_OFFER =
  'v=0\r\no=pbx 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n' +
  'm=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendonly\r\n';

describe('SDP offer/answer (RFC 3264)', () => {
  it('reads static payload types without rtpmap, in m-line order', () => {
    const a = parseAudio(PBX_OFFER);
    assert.deepEqual(
      a.formats.map((f) => [f.pt, f.name]),
      [
        [0, 'PCMU'],
        [8, 'PCMA'],
        [101, 'telephone-event'],
      ],
    );
    assert.equal(a.direction, 'sendonly');
    assert.deepEqual(remoteTransport(a), {
      address: '10.0.0.5',
      port: 40000,
      rtcpAddress: '10.0.0.5',
      rtcpPort: 40001,
    });
  });

  it('picks by our preference among offered codecs', () => {
    const a = parseAudio(PBX_OFFER);
    assert.equal(pickCodec(a.formats, ['PCMA', 'PCMU'])?.codec, 'PCMA');
    assert.equal(pickCodec(a.formats, ['opus'] as const), null);
  });

  it('mirrors the offered direction within what we allow (§6.1)', () => {
    assert.equal(answerDirection('sendonly', 'sendrecv'), 'recvonly');
    assert.equal(answerDirection('recvonly', 'sendrecv'), 'sendonly');
    assert.equal(answerDirection('sendrecv', 'sendonly'), 'sendonly');
    assert.equal(answerDirection('sendonly', 'sendonly'), 'inactive');
    assert.equal(answerDirection('inactive', 'sendrecv'), 'inactive');
  });

  it('writes a plain RTP/AVP description with ptime, rtcp port and telephone-event', () => {
    const sdp = buildPlainSdp({
      sessionId: 5,
      version: 2,
      address: '192.0.2.1',
      port: 20000,
      formats: [
        { pt: 8, name: 'PCMA', rate: 8000 },
        { pt: 0, name: 'PCMU', rate: 8000 },
        telephoneEvent(101, 8000),
      ],
      direction: 'sendrecv',
    });
    assert.match(sdp, /o=linegate 5 2 IN IP4 192\.0\.2\.1/);
    assert.match(sdp, /c=IN IP4 192\.0\.2\.1/);
    assert.match(sdp, /m=audio 20000 RTP\/AVP 8 0 101/);
    assert.match(sdp, /a=rtpmap:101 telephone-event\/8000/);
    assert.match(sdp, /a=fmtp:101 0-16/);
    assert.match(sdp, /a=rtcp:20001/);
    assert.match(sdp, /a=ptime:20/);
    assert.match(sdp, /a=sendrecv/);
  });

  it('treats c=0.0.0.0 as "do not send to me" (RFC 3264 §8.4)', () => {
    const a = parseAudio(PBX_OFFER.replace(/10\.0\.0\.5/g, '0.0.0.0'));
    assert.equal(remoteTransport(a), null);
  });
});

describe('client SDP rewrite', () => {
  const local =
    'v=0\r\no=rtc 123 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=ice-options:ice2,trickle\r\n' +
    'a=fingerprint:sha-256 AA:BB\r\nm=audio 5000 UDP/TLS/RTP/SAVPF 111 8\r\nc=IN IP4 10.1.1.1\r\na=mid:0\r\na=sendrecv\r\n' +
    'a=ssrc:77 cname:x\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:8 PCMA/8000\r\na=extmap:1 urn:x\r\n' +
    'a=setup:actpass\r\na=ice-ufrag:u\r\na=ice-pwd:p\r\n' +
    'a=candidate:1 1 UDP 2114977791 10.1.1.1 5000 typ host\r\na=candidate:2 1 UDP 2114977790 172.17.0.1 5000 typ host\r\n' +
    'a=candidate:3 1 UDP 1000 198.51.100.9 6000 typ srflx raddr 10.1.1.1 rport 5000\r\na=end-of-candidates\r\n';

  it('puts our codecs in order, the public address on host candidates, and no trickle', () => {
    const sdp = rewriteLocalSdp(local, {
      formats: offerFormats(['PCMA', 'opus']),
      direction: 'sendonly',
      publicAddress: '203.0.113.7',
      version: 3,
    });
    assert.match(sdp, /m=audio 5000 UDP\/TLS\/RTP\/SAVPF 8 111 110 101\r\n/);
    assert.match(sdp, /c=IN IP4 203\.0\.113\.7/);
    assert.match(sdp, /o=linegate 123 3 IN IP4 203\.0\.113\.7/);
    assert.equal(sdp.match(/typ host/g)?.length, 1, 'one host candidate per port');
    assert.match(sdp, /a=candidate:1 1 UDP 2114977791 203\.0\.113\.7 5000 typ host/);
    assert.match(sdp, /198\.51\.100\.9 6000 typ srflx/);
    assert.match(sdp, /a=sendonly/);
    assert.doesNotMatch(sdp, /extmap|trickle/);
    assert.match(sdp, /a=ssrc:77 cname:x/);
    assert.match(
      sdp,
      /a=fmtp:111 minptime=10;useinbandfec=1;maxplaybackrate=8000;sprop-maxcapturerate=8000/,
    );
    assert.match(sdp, /a=rtpmap:110 telephone-event\/48000/);
  });

  it('offers only telephone-event/8000 without Opus', () => {
    assert.deepEqual(
      offerFormats(['PCMU']).map((f) => `${f.pt} ${f.name}/${f.rate}`),
      ['0 PCMU/8000', '101 telephone-event/8000'],
    );
  });
});
