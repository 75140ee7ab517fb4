/**
 * Issue #4 against the real test PBX (Kamailio): 30 lines of one group
 * register one after another with the configured delay, refresh before
 * they expire, come back after a PBX restart, show in /api/lines and
 * /metrics, and leave Kamailio's location table empty when the gateway stops.
 * A relay between gateway and Kamailio notes what went over the wire.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import type { LinesStatus } from '../../gateway/lines/status.ts';
import { startPbx, type Pbx, type Registration } from '../pbx/world.ts';
import { startRelay, type Relay } from './relay.ts';
import { captureLog, gatewayYaml, parseYaml, pollUntil } from './support.ts';

const FIRST = 3001;
const COUNT = 30;
const DELAY_MS = 100;
const REREGISTER_S = 10;
const users = Array.from({ length: COUNT }, (_, i) => String(FIRST + i));

let pbx: Pbx;
let relay: Relay;
let gw: Gateway | undefined;
const { log, lines: logLines } = captureLog();

before(async () => {
  pbx = await startPbx({
    accounts: { from: FIRST, to: FIRST + COUNT - 1, password: () => 'secret' },
  });
  relay = await startRelay({ host: '127.0.0.1', port: pbx.port });
  // The relay's receive times are read on this event loop: load fetch() now,
  // not while the first REGISTERs arrive.
  await pbx.registrations();
  const config = parseYaml(
    gatewayYaml(`  - id: hfo
    registrar: { host: 127.0.0.1, port: ${relay.port} }
    reregisterSeconds: ${REREGISTER_S}
    registerDelayMs: ${DELAY_MS}
    retrySeconds: 2
    lines:
      - { usernames: "${FIRST}-${FIRST + COUNT - 1}", password: secret }
`),
  );
  gw = await startGateway({ config, log });
});

after(async () => {
  await gw?.stop();
  await relay.close();
  await pbx.stop();
});

const byAor = (rows: readonly Registration[]) => new Map(rows.map((r) => [r.aor, r]));

describe('30 lines of one group at Kamailio', () => {
  it('register in config order, at least registerDelayMs apart', async () => {
    await pbx.waitRegistered(users, 20_000);
    const at = users.map((u) => {
      const first = relay.registers(u)[0];
      assert.ok(first, `the relay saw a REGISTER of ${u}`);
      return first.at;
    });
    const order = [...users].sort(
      (a, b) => (relay.registers(a)[0]?.at ?? 0) - (relay.registers(b)[0]?.at ?? 0),
    );
    assert.deepEqual(order, users, 'the PBX saw the lines in config order');
    // The gateway's timers never fire early, but the relay reads its receive
    // times on a busy event loop (a parallel test run adds more): one late
    // reading shortens one gap and lengthens the next, by any amount. So no
    // single gap is checked — line i must be at least (i − 1)·delay after
    // line 0, which only a missing stagger fails (the exact spacing is proven
    // on fake time in gateway/lines/stagger.test.ts).
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
    const shown = `gaps between first REGISTERs (ms): ${gaps.map(Math.round).join(', ')}`;
    at.forEach((t, i) => assert.ok(t - (at[0] ?? 0) >= (i - 1) * DELAY_MS, shown));
    // Kamailio's own clock (1 s resolution) agrees on the order.
    const rows = byAor(await pbx.registrations());
    const modified = users.map((u) => Number(rows.get(u)?.fields['Last-Modified']));
    assert.deepEqual(
      modified,
      [...modified].sort((a, b) => a - b),
    );
    for (const u of users)
      assert.match(
        rows.get(u)?.contact ?? '',
        new RegExp(`^sip:${u}@127\\.0\\.0\\.1:${gw?.sip.port}`),
      );
  });

  it('/api/lines lists every line as registered with its times, and /metrics counts them', async () => {
    assert.ok(gw);
    const res = await fetch(`http://127.0.0.1:${gw.http.port}/api/lines`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as LinesStatus;
    assert.equal(body.groups.length, 1);
    const g = body.groups[0];
    assert.ok(g);
    assert.equal(g.id, 'hfo');
    assert.equal(g.registrar, `127.0.0.1:${relay.port}`);
    assert.equal(g.counts.registered, COUNT);
    assert.equal(g.counts.total, COUNT);
    assert.equal(body.counts.registered, COUNT);
    assert.deepEqual(
      g.lines.map((l) => l.id),
      users.map((u) => `hfo/${u}`),
    );
    const l = g.lines[0];
    assert.ok(l);
    assert.equal(l.state, 'registered');
    assert.deepEqual(l.numbers, [users[0]]);
    assert.deepEqual(l.foreignContacts, []);
    assert.ok(l.until !== undefined && l.refreshAt !== undefined && l.registeredAt !== undefined);
    const until = Date.parse(l.until);
    assert.ok(until > Date.now() && until <= Date.now() + REREGISTER_S * 1000 + 1000, l.until);
    assert.ok(Date.parse(l.refreshAt) < until);

    const metrics = await (await fetch(`http://127.0.0.1:${gw.http.port}/metrics`)).text();
    assert.match(metrics, new RegExp(`^linegate_lines_registered\\{group="hfo"\\} ${COUNT}$`, 'm'));
    assert.match(
      metrics,
      new RegExp(`^linegate_lines\\{group="hfo",state="registered"\\} ${COUNT}$`, 'm'),
    );
    assert.match(metrics, /^linegate_lines\{group="hfo",state="failed"\} 0$/m);
    assert.ok(
      logLines.some(
        (x) =>
          x.cat === 'lines.register' && x.msg === 'registered' && x['line'] === `hfo/${users[0]}`,
      ),
    );
  });

  it('refresh before the binding expires: same Call-ID, higher CSeq', async () => {
    const before = byAor(await pbx.registrations());
    let now = before;
    const refreshed = await pollUntil(
      async () => {
        now = byAor(await pbx.registrations());
        return users.every((u) => (now.get(u)?.cseq ?? 0) > (before.get(u)?.cseq ?? 0));
      },
      (REREGISTER_S + 5) * 1000,
      250,
    );
    assert.ok(refreshed, 'every line refreshed');
    for (const u of users) {
      assert.equal(now.get(u)?.callId, before.get(u)?.callId, `line ${u} keeps its Call-ID`);
    }
    // Per line: 1 REGISTER + 1 with credentials, then 1 per refresh (the nonce is re-used).
    const perLine = users.map((u) => relay.registers(u).length);
    assert.ok(Math.max(...perLine) <= 4, `REGISTERs per line so far: ${perLine.join(',')}`);
  });

  it('register again after the PBX restarts and forgets them', async () => {
    await pbx.restart();
    assert.equal(
      (await pbx.registrations()).length,
      0,
      'Kamailio keeps registrations in memory only',
    );
    // Each line refreshes within reregisterSeconds; the refused old nonce costs one round trip.
    await pbx.waitRegistered(users, (REREGISTER_S + 5) * 1000);
  });

  it('un-REGISTER every line on stop: the location table is empty', async () => {
    await gw?.stop();
    gw = undefined;
    assert.deepEqual(await pbx.registrations(), []);
    const zeros = relay.seen.filter((s) => s.method === 'REGISTER' && s.expires === 0);
    assert.ok(new Set(zeros.map((s) => s.user)).size === COUNT);
  });
});
