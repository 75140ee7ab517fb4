/**
 * Hostile input through both transports (issue #3): mutated and truncated
 * SIP messages sent over real loopback sockets, UDP and WebSocket, to the
 * SIP stack. Whatever arrives, the stack does not crash, answers every
 * request it cannot parse with 400/505/513 or drops it, keeps answering
 * valid requests, and holds no state once the transaction timers have run
 * (fake clock: the test does not wait 32 s).
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../gateway/log.ts';
import { mutate, prng } from '../../gateway/sip/message/mutate.ts';
import { parseMessage } from '../../gateway/sip/message/parse.ts';
import { sampleInvite } from '../../gateway/sip/message/samples.ts';
import { callId, parseViaList, topVia } from '../../gateway/sip/message/headers.ts';
import type { Framing } from '../../gateway/sip/message/types.ts';
import { FakeClock } from '../../gateway/sip/transaction/layer-clock.ts';
import { answerUnhandled, createSipStack, type SipStack } from '../../gateway/sip/stack.ts';
import {
  MAX_WS_MESSAGE,
  startWsServer,
  WsClient,
  type SipWsServer,
} from '../../gateway/sip/transport/ws-testkit.ts';

const SEED = 0xf0221;
const UDP_MESSAGES = 3000;
const WS_MESSAGES = 1500;
/** What a request the stack cannot parse may be answered with (RFC 3261 §21.4: 400, 505, 513). */
const PARSE_ERRORS = new Set([400, 505, 513]);

const options = (branch: string, transport: string) =>
  Buffer.from(
    `OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/${transport} 127.0.0.1:9;branch=z9hG4bK${branch}\r\n` +
      'From: <sip:fz@127.0.0.1>;tag=a1\r\nTo: <sip:gw@127.0.0.1>\r\nCall-ID: ping-' +
      branch +
      '\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n',
  );

const fixtures = new URL('../../gateway/sip/message/fixtures/rfc4475/', import.meta.url);
const requests: Buffer[] = [
  sampleInvite(),
  options('seed', 'UDP'),
  ...readdirSync(fixtures)
    .map((f) => readFileSync(new URL(f, fixtures)))
    .filter((d) => {
      const r = parseMessage(d, { framing: 'datagram' });
      return r.ok && r.message.kind === 'request';
    }),
];

/**
 * Before mutation, every message gets its own Call-ID (so a response can be
 * traced to the request it answers) and its own branch (or the stack would
 * rightly take it for a retransmission of an earlier copy); on UDP its top
 * Via points at the test's socket, where §18.2.2 sends the response.
 */
function personalize(data: Buffer, id: string, sentBy?: string): Buffer {
  let text = data
    .toString('latin1')
    .replace(/^(Call-ID|i)[ \t]*:[^\r\n]*/im, `Call-ID: ${id}`)
    .replace(/branch=[^;,\s]*/i, `branch=z9hG4bK${id}`);
  if (sentBy !== undefined)
    text = text.replace(
      /^(Via|v)[ \t]*:[ \t]*SIP[ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*\w+[ \t]+[^;\s]+/im,
      `Via: SIP/2.0/UDP ${sentBy}`,
    );
  return Buffer.from(text, 'latin1');
}

interface Sent {
  parsed: boolean;
  /** Set for requests that parse and expect an answer (not ACK). */
  expectsAnswer: boolean;
  answered: boolean;
}

/**
 * A well-formed request expects an answer unless it is an ACK, or (on UDP,
 * `sentBy` given) the mutation moved its top Via elsewhere: §18.2.2 sends
 * the response there. Its Call-ID must still be ours to trace it.
 */
function sentRecord(data: Buffer, framing: Framing, id: string, sentBy?: string): Sent {
  const r = parseMessage(data, { framing });
  let expectsAnswer = r.ok && r.message.kind === 'request' && r.message.method !== 'ACK';
  if (r.ok && expectsAnswer) {
    try {
      const via = topVia(r.message);
      const here =
        sentBy === undefined ||
        (`${via.host}:${via.port ?? ''}` === sentBy && !via.params.has('maddr'));
      expectsAnswer = here && callId(r.message) === id;
    } catch {
      expectsAnswer = false;
    }
  }
  return { parsed: r.ok, expectsAnswer, answered: false };
}

/** Share of the well-formed requests that got an answer. */
function answeredShare(sent: Map<string, Sent>): { valid: number; share: number } {
  const valid = [...sent.values()].filter((s) => s.expectsAnswer);
  return {
    valid: valid.length,
    share: valid.filter((s) => s.answered).length / Math.max(1, valid.length),
  };
}

/**
 * Checks one response the stack sent: a valid status line, a readable top Via
 * (what the client matches it by, RFC 3261 §17.1.3), no single-valued header
 * twice; and if it answers a request we knew to be malformed, 400/505/513.
 * (A 400 copies From/To/Call-ID/CSeq as they came, §8.2.6.2, so those may be
 * as broken as the request was.)
 */
function checkResponse(data: Buffer, sent: Map<string, Sent>, seen: { answered: number }): void {
  const text = data.toString('latin1');
  const status = /^SIP\/2\.0 (\d{3}) [^\r\n]*\r\n/.exec(text);
  assert.ok(status, `not a SIP response: ${JSON.stringify(text.slice(0, 300))}`);
  const headers = text.slice(status[0].length, text.indexOf('\r\n\r\n')).split('\r\n');
  const values = (name: string) =>
    headers
      .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      .map((l) => l.slice(name.length + 1).trim());
  const via = values('Via')[0];
  assert.ok(via !== undefined, `response without Via: ${JSON.stringify(text.slice(0, 300))}`);
  assert.doesNotThrow(
    () => parseViaList(via),
    `unreadable top Via in ${JSON.stringify(text.slice(0, 300))}`,
  );
  for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
    assert.ok(values(name).length <= 1, `${name} twice in ${JSON.stringify(text.slice(0, 300))}`);
  }
  const request = sent.get(values('Call-ID')[0] ?? '');
  if (!request) return;
  seen.answered++;
  request.answered = true;
  if (!request.parsed) {
    assert.ok(PARSE_ERRORS.has(Number(status[1])), `malformed request answered ${status[1]}`);
  }
}

describe('fuzz through the transports', () => {
  const clock = new FakeClock();
  let sip: SipStack;
  let ws: SipWsServer;
  const heapBefore = process.memoryUsage().heapUsed;

  before(async () => {
    sip = await createSipStack({
      udp: { host: '127.0.0.1', port: 0 },
      timers: {},
      log: createLogger('silent'),
      clock,
    });
    sip.onRequest((tx) => answerUnhandled(tx));
    ws = await startWsServer((socket, req) => sip.attachWebSocket(socket, req));
  });
  after(async () => {
    await ws.close();
    await sip.close();
  });

  it(`UDP: ${UDP_MESSAGES} mutated datagrams`, async () => {
    const rnd = prng(SEED);
    const sent = new Map<string, Sent>();
    const seen = { answered: 0 };
    const client: Socket = createSocket('udp4');
    const replies: Buffer[] = [];
    client.on('message', (m) => replies.push(m));
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    const sentBy = `127.0.0.1:${client.address().port}`;
    client.setRecvBufferSize(8 * 1024 * 1024);
    for (let i = 0; i < UDP_MESSAGES; i++) {
      const id = `fz-udp-${i}`;
      const data = mutate([personalize(requests[i % requests.length]!, id, sentBy)], rnd);
      sent.set(id, sentRecord(data, 'datagram', id, sentBy));
      if (data.length <= 65_507) client.send(data, sip.udpAddress.port, '127.0.0.1');
      if (i % 20 === 19) await sleep(5); // UDP drops what a socket buffer cannot hold: pace, so a loss is a bug
    }
    await sleep(300);
    for (const r of replies) checkResponse(r, sent, seen);
    const malformed = [...sent.values()].filter((s) => !s.parsed).length;
    assert.ok(
      malformed > UDP_MESSAGES / 10,
      `the fuzzer produced too few malformed messages (${malformed})`,
    );
    const { valid, share } = answeredShare(sent);
    console.log(
      `udp fuzz: ${malformed} malformed, ${valid} well-formed, ${seen.answered} answered, ${Math.round(share * 100)} % of well-formed`,
    );
    // Loopback UDP may still drop a datagram on a starved CI machine; a systematic miss would show far below this.
    assert.ok(
      share >= 0.97,
      `only ${Math.round(share * 100)} % of ${valid} well-formed requests were answered`,
    );

    // Still alive and answering (a timeout, not a hang, if it is not).
    const before = replies.length;
    client.send(
      personalize(options('alive1', 'UDP'), 'alive-udp', sentBy),
      sip.udpAddress.port,
      '127.0.0.1',
    );
    for (
      let waited = 0;
      waited < 5000 &&
      !replies.slice(before).some((r) => r.toString().includes('Call-ID: alive-udp'));
      waited += 20
    ) {
      await sleep(20);
    }
    const pong = replies.slice(before).find((r) => r.toString().includes('Call-ID: alive-udp'));
    assert.match(pong?.toString() ?? 'no answer', /^SIP\/2\.0 200 /);
    client.close();
  });

  it(`WebSocket: ${WS_MESSAGES} mutated frames (reconnecting when the stack closes the socket)`, async () => {
    const rnd = prng(SEED + 1);
    const sent = new Map<string, Sent>();
    const seen = { answered: 0 };
    let client = await WsClient.connect(ws.url);
    let closes = 0;
    const drain = () => {
      for (const f of client.frames.splice(0)) checkResponse(Buffer.from(f), sent, seen);
    };
    for (let i = 0; i < WS_MESSAGES; i++) {
      const id = `fz-ws-${i}`;
      const data = mutate([personalize(requests[i % requests.length]!, id)], rnd);
      sent.set(id, sentRecord(data, 'frame', id));
      client.send(data);
      if (data.length > MAX_WS_MESSAGE) {
        // RFC 6455 §7.4.1: the stack closes with 1009; what is sent meanwhile is lost with the socket.
        assert.equal(await client.closed, 1009);
        drain();
        closes++;
        client = await WsClient.connect(ws.url);
      }
      if (i % 50 === 49) {
        await sleep(5);
        drain();
      }
    }
    await sleep(300);
    drain();
    const { valid, share } = answeredShare(sent);
    console.log(
      `ws fuzz: ${valid} well-formed, ${seen.answered} answered, ${Math.round(share * 100)} % of well-formed`,
    );
    assert.equal(
      share,
      1,
      `only ${Math.round(share * 100)} % of ${valid} well-formed requests were answered`,
    );
    if (client.ws.readyState !== client.ws.OPEN) client = await WsClient.connect(ws.url);
    client.send(options('alive2', 'WS'));
    const isPong = (f: string) => f.includes('Call-ID: ping-alive2');
    for (let waited = 0; waited < 5000 && !client.frames.some(isPong); waited += 20)
      await sleep(20);
    assert.match(client.frames.find(isPong) ?? 'no answer', /^SIP\/2\.0 200 /);
    client.close();
    console.log(`ws fuzz: ${closes} connections closed by the stack (oversize frames)`);
  });

  it('holds no transactions once their timers have run, and memory stays bounded', () => {
    assert.ok(sip.transactions > 0, 'the fuzz created transactions');
    clock.advance(5 * 60_000);
    assert.equal(sip.transactions, 0);
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < 200 * 1024 * 1024, `heap grew by ${Math.round(growth / 1048576)} MiB`);
  });
});
