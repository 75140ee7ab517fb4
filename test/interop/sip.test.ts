/**
 * Issue #3 interop: the gateway's own SIP stack against real peers.
 *  - SIPp (sip-tester) → gateway over UDP: OPTIONS (incl. a retransmitted
 *    request absorbed by the transaction), INVITE/ACK/BYE, and the INVITE
 *    server transaction's retransmission paths (a lost final response).
 *  - gateway UDP side → Kamailio: REGISTER with digest, then un-REGISTER.
 *  - JsSIP (the PWA's SIP stack) in Node → gateway /sip: REGISTER with digest,
 *    OPTIONS; a wrong password fails; an unregistered socket is refused.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { parseConfigText } from '../../gateway/config/load.ts';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import { buildRegister } from '../../gateway/lines/register-message.ts';
import { createLogger } from '../../gateway/log.ts';
import { ClientAuthState } from '../../gateway/sip/auth/client-state.ts';
import { generateCallId, generateTag } from '../../gateway/sip/message/build.ts';
import { parseUri } from '../../gateway/sip/message/uri.ts';
import type { SipUri } from '../../gateway/sip/message/types.ts';
import { createSipStack, udpDestination, type SipStack } from '../../gateway/sip/stack.ts';
import { sendWithAuth } from '../../gateway/sip/uac.ts';
import { startPbx, type Pbx } from '../pbx/world.ts';
import { createJssipUA, register, sendOptions, stopUA } from '../support/jssip-node.ts';

const scenario = (name: string) => fileURLToPath(new URL(`sipp/${name}.xml`, import.meta.url));
const log = createLogger('warn');

let pbx: Pbx;
let gw: Gateway;

before(async () => {
  pbx = await startPbx();
  const config = parseConfigText(
    'server: { port: 0 }\nsip: { port: 0 }\ndata: ":memory:"\nusers:\n  - { username: alice, password: secret }\n',
    'interop.yaml',
  );
  gw = await startGateway({ config, log });
});
after(async () => {
  await gw.stop();
  await pbx.stop();
});

/** Runs a scenario against the gateway; returns SIPp's message trace (what it sent and received). */
async function runSipp(file: string, extra: string[] = []): Promise<string> {
  const name = basename(file, '.xml');
  const trace = join(pbx.sippDir, `${name}-${process.hrtime.bigint()}.messages.log`);
  const run = await pbx.sipp(
    [
      '-sf',
      file,
      `127.0.0.1:${gw.sip.port}`,
      '-s',
      'gateway',
      '-m',
      '1',
      '-timeout',
      '30s',
      '-timeout_error',
      '-trace_msg',
      '-message_file',
      trace,
      ...extra,
    ],
    { name },
  );
  const r = await run.exited;
  assert.equal(r.code, 0, `SIPp ${name} failed:\n${run.output().slice(-3000)}`);
  return readFileSync(trace, 'utf8');
}

/** How many times SIPp received a response with this status line. */
const received = (trace: string, status: number) =>
  trace
    .split(/message received \[\d+\] bytes :\s*\n/)
    .filter((m) => m.startsWith(`SIP/2.0 ${status} `)).length;

describe('SIPp → gateway over UDP', () => {
  it('OPTIONS is answered 200 with Allow and Accept; a retransmitted OPTIONS is answered from the transaction', async () => {
    const trace = await runSipp(scenario('options'));
    assert.equal(received(trace, 200), 3, 'one 200 per request, one for the retransmission');
  });

  it('INVITE gets 480 (no calls yet) and is ACKed; BYE for an unknown dialog gets 481', async () => {
    await runSipp(scenario('invite-bye'));
  });

  it('retransmits a final response that is not ACKed (Timer G), and stops after the ACK', async () => {
    const trace = await runSipp(scenario('invite-retrans'));
    const n = received(trace, 480);
    assert.ok(
      n >= 2 && n <= 3,
      `expected the 480 and 1–2 Timer G retransmissions before the ACK, got ${n}`,
    );
  });

  it('completes every call when 30 % of its responses are lost (SIPp and gateway retransmissions)', async () => {
    const lossy = join(pbx.sippDir, 'invite-lossy.xml');
    writeFileSync(
      lossy,
      readFileSync(scenario('invite-bye'), 'utf8').replace(
        /<recv response="(480|481)"/g,
        '<recv response="$1" lost="30"',
      ),
    );
    await runSipp(lossy, ['-m', '20', '-r', '10', '-l', '10']);
  });

  it("keeps up with SIPp's steady call rate (INVITE → 480 → ACK, BYE → 481)", async () => {
    await runSipp(scenario('invite-bye'), ['-m', '200', '-r', '100', '-l', '50']);
  });
});

describe('gateway UDP side → Kamailio', () => {
  let sip: SipStack;
  before(async () => {
    sip = await createSipStack({ udp: { host: '127.0.0.1', port: 0 }, timers: {}, log });
  });
  after(() => sip.close());

  it('registers with digest (401 answered), shows in the location table, then un-registers', async () => {
    const contact = parseUri(`sip:201@${sip.udpSentBy}`) as SipUri;
    const auth = new ClientAuthState({
      credentials: () => ({ username: '201', password: 'pw201' }),
    });
    const spec = {
      username: '201',
      registrar: { host: '127.0.0.1', port: pbx.port },
      contact,
      callId: generateCallId(),
      fromTag: generateTag(),
      userAgent: 'Linegate test',
    };
    const dest = udpDestination('127.0.0.1', pbx.port);

    const reg = await sendWithAuth(
      sip,
      buildRegister({ ...spec, expires: 60, cseq: 1 }),
      dest,
      auth,
    );
    assert.equal(
      reg.response.status,
      200,
      `REGISTER: ${reg.response.status} ${reg.response.reason}`,
    );
    const rows = await pbx.registrations();
    const mine = rows.find((r) => r.aor === '201');
    assert.ok(mine, 'Kamailio lists 201');
    assert.match(mine.contact, new RegExp(`sip:201@${sip.udpSentBy.replace(/\./g, '\\.')}`));

    const unreg = await sendWithAuth(
      sip,
      buildRegister({ ...spec, expires: 0, cseq: 10 }),
      dest,
      auth,
    );
    assert.equal(unreg.response.status, 200);
    assert.equal((await pbx.registrations()).filter((r) => r.aor === '201').length, 0);
  });

  it('a wrong password ends in a clear auth failure, not a loop', async () => {
    const contact = parseUri(`sip:202@${sip.udpSentBy}`) as SipUri;
    const auth = new ClientAuthState({
      credentials: () => ({ username: '202', password: 'wrong' }),
    });
    const req = buildRegister({
      username: '202',
      registrar: { host: '127.0.0.1', port: pbx.port },
      contact,
      callId: generateCallId(),
      fromTag: generateTag(),
      userAgent: 'Linegate test',
      expires: 60,
      cseq: 1,
    });
    const r = await sendWithAuth(sip, req, udpDestination('127.0.0.1', pbx.port), auth);
    assert.equal(r.response.status, 401);
    assert.equal(r.authFailure, 'rejected');
  });
});

describe('JsSIP (Node) → gateway /sip', () => {
  const url = () => `ws://127.0.0.1:${gw.http.port}/sip`;

  it('registers with digest and sends OPTIONS', async () => {
    const ua = createJssipUA({
      url: url(),
      domain: 'linegate.test',
      username: 'alice',
      password: 'secret',
    });
    try {
      await register(ua);
      const r = await sendOptions(ua, `sip:gateway@linegate.test`);
      assert.equal(r.status, 200);
      assert.match(r.allow ?? '', /INVITE/);
    } finally {
      await stopUA(ua);
    }
  });

  it('a wrong password fails registration', async () => {
    const ua = createJssipUA({
      url: url(),
      domain: 'linegate.test',
      username: 'alice',
      password: 'nope',
    });
    try {
      await assert.rejects(register(ua), /registration failed/);
    } finally {
      await stopUA(ua);
    }
  });

  it('refuses requests on a socket that has not registered', async () => {
    const ws = new WebSocket(url(), ['sip']);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = new Promise<string>((resolve) =>
      ws.once('message', (d: Buffer) => resolve(d.toString())),
    );
    ws.send(
      'OPTIONS sip:gateway@linegate.test SIP/2.0\r\nVia: SIP/2.0/WS abc.invalid;branch=z9hG4bKnoauth1\r\n' +
        'From: <sip:x@linegate.test>;tag=1\r\nTo: <sip:gateway@linegate.test>\r\nCall-ID: noauth1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n',
    );
    assert.match(await reply, /^SIP\/2\.0 403 /);
    ws.close();
  });
});
