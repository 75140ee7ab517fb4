/**
 * The journal's crash guarantee (issue #7): every call is written to SQLite
 * when it happens and kept across a crash; a kill -9 mid-call loses at most
 * the open call's end, which the next start repairs ("interrupted", ended
 * at the last heartbeat but never before its answer nor after the crash).
 *
 * Real parts only: the gateway as users run it (npm start's
 * scripts/start.mjs, a YAML config, its data directory in a temp dir), the
 * Kamailio test PBX with baresip phones, and headless Chromium running
 * JsSIP. A PBX phone calls the browser, which answers; the PBX hangs up
 * (a finished call). Then the browser calls another PBX phone, which
 * answers, and while that call is up the gateway process gets SIGKILL —
 * the gateway itself, not only npm's wrapper, which would leave it
 * running. The gateway is started again with the same config and data.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, it } from 'node:test';
import type { JournalEntry, JournalPage } from '#shared/api.ts';
import {
  runGateway,
  startedUrl,
  tempDir,
  type GatewayProcess,
} from '../support/gateway-process.ts';
import { startPbx, type Pbx } from '../pbx/world.ts';
import { isAlive, pollUntil } from '../pbx/sys.ts';
import { launchBrowser, type BrowserPhone, type TestBrowser } from './support/browser-phone.ts';

/** Every process the gateway runs as logged (gateway, media workers): none may outlive the file. */
const pids = new Set<number>();
const gateways: GatewayProcess[] = [];
let pbx: Pbx | undefined;
let browser: TestBrowser | undefined;
let dir: string | undefined;
let yaml: string;
let httpPort: number;

before(async () => {
  dir = tempDir('lg-journal-crash-');
  pbx = await startPbx();
  // Fixed ports (reserved, free) rather than 0: the restart runs the very same config, and
  // the PBX's registration of line 201 points at the same SIP address before and after.
  httpPort = await pbx.reservePorts({ count: 1, udp: false, tcp: true });
  const sipPort = await pbx.reservePorts({ count: 1, udp: true });
  const rtp = await pbx.reservePorts({ count: 40 });
  yaml = [
    `server: { host: 127.0.0.1, port: ${httpPort} }`,
    `sip: { host: 127.0.0.1, port: ${sipPort}, timers: { t1: 500 } }`,
    `media: { rtpPorts: [${rtp}, ${rtp + 39}], workers: 1 }`,
    'data: data',
    'log: { level: debug }',
    'lineGroups:',
    '  - id: pbx',
    `    registrar: { host: 127.0.0.1, port: ${pbx.port} }`,
    '    registerDelayMs: 0',
    '    natRefreshSeconds: 0',
    '    lines:',
    '      - { usernames: "201", password: pw201 }',
    'users:',
    '  - { username: alice, password: pw-alice, lines: [pbx/201] }',
    '',
  ].join('\n');
  browser = await launchBrowser({ toneHz: 1000 });
});

after(async () => {
  await browser?.close();
  for (const gw of gateways) await stopGateway(gw);
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await pbx?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Starts the gateway on the test's config and data dir; resolves once it logged "gateway started". */
async function startGateway(): Promise<{ gw: GatewayProcess; base: URL; pid: number }> {
  assert.ok(dir !== undefined);
  const gw = runGateway(yaml, { dir });
  gateways.push(gw);
  // The first start may build the PWA first (npm start does when dist/ is stale).
  await gw.waitLog((l) => l.msg === 'gateway started', 120_000);
  const base = await startedUrl(gw);
  const pid = gw.logs.find((l) => typeof l['pid'] === 'number')?.['pid'];
  assert.equal(typeof pid, 'number', 'the gateway logs its pid');
  notePids(gw);
  return { gw, base, pid: pid as number };
}

/** The gateway's pid and its media workers' (debug log "media worker ready"). */
function notePids(gw: GatewayProcess): void {
  for (const l of gw.logs) {
    if (typeof l['pid'] === 'number') pids.add(l['pid']);
    if (typeof l['workerPid'] === 'number') pids.add(l['workerPid']);
  }
}

/** A clean stop (npm's wrapper passes SIGTERM on); SIGKILL for whatever is left after 15 s. */
async function stopGateway(gw: GatewayProcess): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 15_000)));
  await Promise.race([gw.stop('SIGTERM'), late]);
  clearTimeout(timer);
  notePids(gw);
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  gw.cleanup();
}

async function signIn(base: URL): Promise<string> {
  const res = await fetch(new URL('/api/session', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'pw-alice' }),
  });
  assert.equal(res.status, 201);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  assert.match(cookie, /^lg_session=/);
  return cookie;
}

async function journal(base: URL, cookie: string): Promise<readonly JournalEntry[]> {
  const res = await fetch(new URL('/api/journal?limit=200', base), { headers: { cookie } });
  assert.equal(res.status, 200);
  return ((await res.json()) as JournalPage).entries;
}

/** Polls the journal until `ready` holds for its entries; returns them. */
async function journalWhen(
  base: URL,
  cookie: string,
  ready: (entries: readonly JournalEntry[]) => boolean,
  what: string,
): Promise<readonly JournalEntry[]> {
  let entries: readonly JournalEntry[] = [];
  const ok = await pollUntil(
    async () => ready((entries = await journal(base, cookie))),
    10_000,
    50,
  );
  assert.ok(ok, `${what}; journal: ${JSON.stringify(entries)}`);
  return entries;
}

it(
  'a call up when the gateway is killed (-9) is "interrupted" after the restart; the finished call is intact',
  { timeout: 170_000 },
  async () => {
    assert.ok(pbx && browser);
    const first = await startGateway();
    await pbx.waitRegistered(['201'], 15_000);
    const cookie = await signIn(first.base);
    const alice: BrowserPhone = await browser.newPhone({
      wsUrl: `ws://127.0.0.1:${httpPort}/sip`,
      username: 'alice',
      password: 'pw-alice',
    });
    await alice.register();
    const caller = await pbx.addPhone('203', { toneHz: 440 });
    const callee = await pbx.addPhone('204', { toneHz: 440 });

    // A finished call: 203 calls line 201, alice answers, 203 hangs up.
    await caller.dial('201');
    await alice.waitEvent('incoming');
    await alice.answer();
    await caller.waitEvent('CALL_ESTABLISHED', 10_000);
    await alice.waitMedia();
    await caller.hangup();
    await alice.waitEvent('ended');
    const [finished] = await journalWhen(
      first.base,
      cookie,
      (es) => es.length === 1 && es[0]?.result !== undefined,
      'the finished call has its result',
    );
    assert.ok(finished);
    assert.equal(finished.direction, 'incoming');
    assert.equal(finished.line, 'pbx/201');
    assert.equal(finished.remoteNumber, '203');
    assert.equal(finished.user, 'alice');
    assert.equal(finished.result, 'answered');
    assert.ok(finished.answeredAt !== undefined && finished.endedAt !== undefined);
    assert.ok(finished.at <= finished.answeredAt && finished.answeredAt <= finished.endedAt);

    // The call that is up when the gateway dies: alice calls 204, which answers.
    await alice.call('204');
    await alice.waitEvent('confirmed');
    await callee.waitEvent('CALL_ESTABLISHED', 10_000);
    await alice.waitMedia();
    const beforeCrash = await journalWhen(
      first.base,
      cookie,
      (es) => es.length === 2 && es[0]?.answeredAt !== undefined,
      'the open call is written with its answer',
    );
    const [open] = beforeCrash;
    assert.ok(open);
    assert.notEqual(open.id, finished.id);
    assert.equal(open.direction, 'outgoing');
    assert.equal(open.line, 'pbx/201');
    assert.equal(open.remoteNumber, '204');
    assert.equal(open.user, 'alice');
    assert.equal(open.endedAt, undefined, 'the call is still up');
    assert.equal(open.result, undefined);
    assert.deepEqual(beforeCrash[1], finished);

    // kill -9 of the gateway itself (signalling npm's wrapper would leave the gateway running).
    process.kill(first.pid, 'SIGKILL');
    const exit = await first.gw.exited;
    assert.notEqual(exit.code, 0, 'the wrapper reports the crash');
    const killedAt = Date.now();
    assert.equal(isAlive(first.pid), false);
    notePids(first.gw);
    const workers = [...pids].filter((p) => p !== first.pid);
    assert.ok(workers.length > 0, 'the media worker logged its pid');
    assert.ok(
      await pollUntil(() => workers.every((p) => !isAlive(p)), 10_000),
      'media workers go with the gateway',
    );
    assert.equal(
      first.gw.logs.filter((l) => l.msg === 'stopped' || l.msg === 'stopping').length,
      0,
      'no clean stop ran',
    );

    // The same config and data directory again.
    const second = await startGateway();
    const restartedBy = Date.now();
    const repaired = second.gw.logs.find(
      (l) => l.msg === 'calls left open by a crash repaired' && l.cat === 'journal',
    );
    assert.ok(repaired, 'the restarted gateway logs the repair');
    assert.equal(repaired.level, 'warn');
    assert.equal(repaired['calls'], 1);

    // The session survived in SQLite too: the cookie from before the crash still works.
    const afterCrash = await journal(second.base, cookie);
    assert.equal(afterCrash.length, 2, JSON.stringify(afterCrash));
    const [interrupted, kept] = afterCrash;
    assert.ok(interrupted && kept);
    assert.deepEqual(kept, finished, 'the finished call is untouched');
    assert.equal(interrupted.id, open.id);
    assert.equal(interrupted.result, 'interrupted');
    assert.equal(interrupted.at, open.at, 'start as written before the kill');
    assert.equal(interrupted.answeredAt, open.answeredAt, 'answer as written before the kill');
    assert.ok(interrupted.answeredAt !== undefined && interrupted.endedAt !== undefined);
    assert.ok(
      interrupted.endedAt >= interrupted.answeredAt,
      `ended ${interrupted.endedAt} before its answer ${interrupted.answeredAt}`,
    );
    // Its end is the last heartbeat (or the answer): never later than the crash, let alone the restart.
    assert.ok(interrupted.endedAt <= killedAt, `ended ${interrupted.endedAt} after the kill`);
    assert.ok(interrupted.endedAt <= restartedBy);
    const unended = (e: JournalEntry) => ({ ...e, endedAt: undefined, result: undefined });
    assert.deepEqual(unended(interrupted), unended(open), 'nothing else of the call changed');
    const filtered = (await (
      await fetch(new URL('/api/journal?result=interrupted', second.base), {
        headers: { cookie },
      })
    ).json()) as JournalPage;
    assert.deepEqual(
      filtered.entries.map((e) => e.id),
      [open.id],
    );

    await alice.close();
    await Promise.all([caller.stop(), callee.stop()]);
  },
);
