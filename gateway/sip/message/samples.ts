/**
 * Typical messages of this gateway, for tests, fuzzing and benchmarks: an
 * INVITE as a browser softphone sends it over WebSocket (RFC 7118 Via and
 * Contact, WebRTC SDP) and the PBX's 200 OK over UDP.
 */

const SDP_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Wz8e',
  'a=ice-pwd:1ZQyXg7mYwHfs3E3uC1jZ7sM',
  'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  '',
].join('\r\n');

const SDP_ANSWER = [
  'v=0',
  'o=root 1640183582 1640183582 IN IP4 192.0.2.20',
  's=Asterisk',
  'c=IN IP4 192.0.2.20',
  't=0 0',
  'm=audio 17484 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

function message(head: string[], body: string): Buffer {
  const lines = [...head, `Content-Length: ${Buffer.byteLength(body)}`, '', body];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** A browser's INVITE with SDP offer (about 900 octets). */
export function sampleInvite(): Buffer {
  return message(
    [
      'INVITE sip:1001@pbx.example.com SIP/2.0',
      'Via: SIP/2.0/WSS 9k3h2l0dkd8a.invalid;branch=z9hG4bK8834712',
      'Max-Forwards: 69',
      'To: <sip:1001@pbx.example.com>',
      'From: "Alice Example" <sip:alice@pbx.example.com>;tag=4gbs8hdq9p',
      'Call-ID: 2g2n4ef6ps0dqk5rnmcc',
      'CSeq: 7795 INVITE',
      'Contact: <sip:o2bl9uu2@9k3h2l0dkd8a.invalid;transport=ws;ob>',
      'Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY',
      'Supported: timer,ice,replaces,outbound',
      'User-Agent: Linegate softphone 0.1',
      'Content-Type: application/sdp',
    ],
    SDP_OFFER,
  );
}

/** The PBX's 200 OK with SDP answer, after a proxy added its Via. */
export function sample200(): Buffer {
  return message(
    [
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 192.0.2.10:5060;rport=5060;received=192.0.2.10;branch=z9hG4bK-524287-1---1d9c3e0c4d1a7e7b',
      'Via: SIP/2.0/WSS 9k3h2l0dkd8a.invalid;branch=z9hG4bK8834712',
      'Record-Route: <sip:192.0.2.10;lr;r2=on>',
      'From: "Alice Example" <sip:alice@pbx.example.com>;tag=4gbs8hdq9p',
      'To: <sip:1001@pbx.example.com>;tag=as5f2b3c1d',
      'Call-ID: 2g2n4ef6ps0dqk5rnmcc',
      'CSeq: 7795 INVITE',
      'Server: Asterisk PBX 20.5.0',
      'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE',
      'Supported: replaces, timer',
      'Contact: <sip:1001@192.0.2.20:5060>',
      'Content-Type: application/sdp',
    ],
    SDP_ANSWER,
  );
}
