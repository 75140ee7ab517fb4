/**
 * Issue #4, what goes wrong: a wrong password (a failed line with a clear
 * reason and no retry storm), a registrar that does not answer (retrying
 * with back-off), and the PBX side's toll-fraud protection — requests from
 * addresses that are no registrar are refused with 403, unknown users get
 * 404, a registered line nobody is signed in for gets the line group's
 * decline.noClient (486) for INVITE and 200 for OPTIONS.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import type { LineStatus } from '../../gateway/lines/status.ts';
import { startPbx, type Pbx } from '../pbx/world.ts';
import { startRelay, type Relay } from './relay.ts';
import { captureLog, gatewayYaml, parseYaml, pollUntil, sendRaw } from './support.ts';

let pbx: Pbx;
let relay: Relay;
let gw: Gateway;
let deadPort: number;
const { log, lines: logLines } = captureLog();

before(async () => {
  pbx = await startPbx();
  relay = await startRelay({ host: '127.0.0.1', port: pbx.port });
  deadPort = await pbx.reservePorts({ count: 1, udp: true });
  const config = parseYaml(
    gatewayYaml(
      `  - id: ok
    registrar: { host: 127.0.0.1, port: ${relay.port} }
    lines:
      - { usernames: "201", password: pw201 }
  - id: typo
    registrar: { host: 127.0.0.1, port: ${relay.port} }
    retrySeconds: 1
    lines:
      - { usernames: "202", password: wrong }
  - id: dead
    registrar: { host: 127.0.0.1, port: ${deadPort} }
    retrySeconds: 1
    lines:
      - { usernames: "203", password: pw203 }
`,
      // Timer F = 64·T1: a registrar that never answers times out in 3.2 s.
      { sip: '{ port: 0, timers: { t1: 50 } }' },
    ),
  );
  gw = await startGateway({ config, log });
  await pbx.waitRegistered(['201']);
});

after(async () => {
  await gw.stop();
  await relay.close();
  await pbx.stop();
});

const line = (id: string): LineStatus | undefined =>
  gw
    .lines()
    .groups.flatMap((g) => g.lines)
    .find((l) => l.id === id);

describe('line failures', () => {
  it('a wrong password: failed with the reason, and no more REGISTERs for minutes', async () => {
    assert.ok(await pollUntil(() => line('typo/202')?.state === 'failed', 5000));
    const s = line('typo/202');
    assert.ok(s);
    assert.match(
      s.reason ?? '',
      /401 Unauthorized: the registrar refused the credentials of auth user "202"/,
    );
    assert.equal(s.failures, 1);
    assert.ok(
      Date.parse(s.retryAt ?? '') - Date.now() > 140_000,
      `next attempt ${s.retryAt ?? '?'}`,
    );
    const seen = relay.registers('202').length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(relay.registers('202').length, seen, 'nothing sent in the 3 s window');
    assert.equal(seen, 2, 'the REGISTER and its answer to the 401');
    assert.ok(
      logLines.some(
        (l) => l.cat === 'lines.register' && l['line'] === 'typo/202' && l['to'] === 'failed',
      ),
    );
    const metrics = await (await fetch(`http://127.0.0.1:${gw.http.port}/metrics`)).text();
    assert.match(
      metrics,
      /^linegate_line_registration_failures_total\{group="typo",reason="auth"\} 1$/m,
    );
    assert.match(metrics, /^linegate_lines\{group="typo",state="failed"\} 1$/m);
  });

  it('a registrar that does not answer: retrying, with the time of the next attempt', async () => {
    assert.ok(
      await pollUntil(() => line('dead/203')?.state === 'retrying', 8000),
      JSON.stringify(line('dead/203')),
    );
    const s = line('dead/203');
    assert.match(s?.reason ?? '', /timeout|cannot reach/);
    assert.ok(s?.retryAt !== undefined);
  });
});

describe('requests from the PBX side', () => {
  const gwAddr = () => ({ host: '127.0.0.1', port: gw.sip.port });

  it('403 from an address that is no registrar or trusted address (toll-fraud protection)', async () => {
    assert.match(await sendRaw('127.0.0.2', gwAddr(), 'INVITE', '201'), /^SIP\/2\.0 403 /);
    assert.match(await sendRaw('127.0.0.2', gwAddr(), 'OPTIONS', '201'), /^SIP\/2\.0 403 /);
  });

  it('from the registrar: INVITE to a line nobody is signed in for 486, OPTIONS 200, unknown user 404', async () => {
    assert.match(await sendRaw('127.0.0.1', gwAddr(), 'INVITE', '201'), /^SIP\/2\.0 486 /);
    assert.match(await sendRaw('127.0.0.1', gwAddr(), 'OPTIONS', '201'), /^SIP\/2\.0 200 /);
    assert.match(await sendRaw('127.0.0.1', gwAddr(), 'INVITE', '999'), /^SIP\/2\.0 404 /);
  });
});
