/**
 * Sign-in for the PWA (issue #6) against a real gateway: the session API
 * with its cookie, JsSIP registering with a session's own SIP credentials
 * (never the password), sign-out revoking them, the lines event stream,
 * and what bad or hostile requests get.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiError, ApiLine, Session } from '#shared/api.ts';
import { configSchema } from '../../gateway/config/schema.ts';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import { createLogger } from '../../gateway/log.ts';
import { createJssipUA, register } from '../support/jssip-node.ts';

let dir: string;
let gw: Gateway;
let base: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linegate-session-'));
  const config = configSchema.parse({
    server: { port: 0 },
    sip: { port: 0 },
    data: join(dir, 'data'),
    lineGroups: [
      {
        id: 'pbx',
        registrar: { host: '127.0.0.1', port: 9 },
        lines: [{ usernames: '201-202', password: 'x', displayName: 'Front desk' }],
      },
    ],
    users: [
      { username: 'alice', password: 'secret-a', displayName: 'Alice', lines: ['pbx/201'] },
      { username: 'bob', password: 'secret-b' },
      { username: 'carol', password: 'secret-c', lines: ['pbx/201', 'pbx/202'] },
    ],
  });
  gw = await startGateway({ config, log: createLogger('silent'), linesStopMs: 100 });
  base = `http://127.0.0.1:${gw.http.port}`;
});

after(async () => {
  await gw.stop();
  await rm(dir, { recursive: true, force: true });
});

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function cookieOf(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0] ?? '';
}

// Before 'session API': its password-guessing test gets this address rate-limited.
describe('after-sign-in action (seed 000)', () => {
  const signIn = async (username: string, password: string) =>
    cookieOf(await post({ username, password }));
  const put = (cookie: string, body: unknown) =>
    fetch(`${base}/api/after-sign-in`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('is kept per user and handed to the next sign-in with the line it dials on', async () => {
    const alice = await signIn('alice', 'secret-a');
    const none = await fetch(`${base}/api/after-sign-in`, { headers: { cookie: alice } });
    assert.deepEqual(await none.json(), { dial: null });
    const set = await put(alice, { dial: '*73*', name: 'Forwarding off' });
    assert.equal(set.status, 200);
    assert.deepEqual(await set.json(), { dial: '*73*', name: 'Forwarding off' });
    const next = (await (
      await post({ username: 'alice', password: 'secret-a' })
    ).json()) as Session;
    assert.deepEqual(next.afterSignIn, { line: 'pbx/201', dial: '*73*', name: 'Forwarding off' });
    assert.equal((await put(alice, { dial: null })).status, 200);
    const cleared = (await (
      await post({ username: 'alice', password: 'secret-a' })
    ).json()) as Session;
    assert.equal(cleared.afterSignIn, undefined);
  });

  it('needs exactly one line (409), a dialable number and a name (400), a session (401)', async () => {
    const carol = await signIn('carol', 'secret-c');
    const two = await put(carol, { dial: '*73*', name: 'Off' });
    assert.equal(two.status, 409);
    assert.equal(((await two.json()) as ApiError).code, 'not-single-line');
    assert.equal((await put(carol, { dial: null })).status, 200, 'clearing always works');
    const bob = await signIn('bob', 'secret-b');
    assert.equal((await put(bob, { dial: '*73*', name: 'Off' })).status, 409);
    const alice = await signIn('alice', 'secret-a');
    for (const body of [
      '{"dial":',
      { dial: 'sip:evil@example.com', name: 'x' },
      { dial: '*73*' },
      { dial: '*73*', name: 'a\r\nX-Injected: 1' },
    ]) {
      const res = await put(alice, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(((await res.json()) as ApiError).code, 'bad-request');
    }
    assert.equal((await put('', { dial: null })).status, 401);
    const del = await fetch(`${base}/api/after-sign-in`, {
      method: 'DELETE',
      headers: { cookie: alice },
    });
    assert.equal(del.status, 405);
  });
});

describe('session API', () => {
  it('signs in: 201 with the SIP credentials of the session and an HttpOnly cookie', async () => {
    const res = await post({ username: 'alice', password: 'secret-a' });
    assert.equal(res.status, 201);
    const set = res.headers.get('set-cookie') ?? '';
    assert.match(
      set,
      /^lg_session=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    const s = (await res.json()) as Session;
    assert.equal(s.user.displayName, 'Alice');
    assert.equal(s.sip.uri.startsWith('sip:alice@'), true);
    assert.match(s.sip.authUser, /^~/);
    assert.notEqual(s.sip.password, 'secret-a', 'the page never gets the password back');
    assert.deepEqual(
      s.lines.map((l) => [l.id, l.label, l.number, l.registered, l.ringing, l.active]),
      [['pbx/201', 'Front desk', '201', false, 0, 0]],
    );
    const again = await fetch(`${base}/api/session`, { headers: { cookie: cookieOf(res) } });
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as Session).sip.password, s.sip.password);
  });

  it('JsSIP registers with the session identity; sign-out revokes it and unregisters the device', async () => {
    const res = await post({ username: 'alice', password: 'secret-a' });
    const s = (await res.json()) as Session;
    const ua = createJssipUA({
      url: `ws://127.0.0.1:${gw.http.port}/sip`,
      domain: 'linegate',
      username: 'alice',
      authUser: s.sip.authUser,
      password: s.sip.password,
    });
    try {
      await register(ua);
      const del = await fetch(`${base}/api/session`, {
        method: 'DELETE',
        headers: { cookie: cookieOf(res) },
      });
      assert.equal(del.status, 204);
      assert.match(del.headers.get('set-cookie') ?? '', /Max-Age=0/);
      const gone = await fetch(`${base}/api/session`, { headers: { cookie: cookieOf(res) } });
      assert.equal(gone.status, 401);
      // The revoked identity cannot register again.
      const failed = new Promise<number | undefined>((resolve) =>
        ua.once('registrationFailed', (e: { response?: { status_code?: number } }) =>
          resolve(e.response?.status_code),
        ),
      );
      ua.register();
      assert.equal(await failed, 401);
    } finally {
      ua.stop();
    }
  });

  it('a session of another user cannot register as alice (403)', async () => {
    const s = (await (await post({ username: 'bob', password: 'secret-b' })).json()) as Session;
    const ua = createJssipUA({
      url: `ws://127.0.0.1:${gw.http.port}/sip`,
      domain: 'linegate',
      username: 'alice',
      authUser: s.sip.authUser,
      password: s.sip.password,
    });
    try {
      await assert.rejects(register(ua), /403/);
    } finally {
      ua.stop();
    }
  });

  it('streams the lines at /api/events (first snapshot at once)', async () => {
    const res = await post({ username: 'alice', password: 'secret-a' });
    const ctrl = new AbortController();
    const stream = await fetch(`${base}/api/events`, {
      headers: { cookie: cookieOf(res) },
      signal: ctrl.signal,
    });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = stream.body?.getReader();
    assert.ok(reader);
    const chunk = (await reader.read()) as { value?: Uint8Array };
    const text = new TextDecoder().decode(chunk.value);
    assert.match(text, /^event: lines\ndata: /);
    const lines = JSON.parse(text.split('data: ')[1] ?? '[]') as ApiLine[];
    assert.equal(lines[0]?.id, 'pbx/201');
    ctrl.abort();
    const anonymous = await fetch(`${base}/api/events`);
    assert.equal(anonymous.status, 401);
  });

  it('bad requests get clear 4xx answers', async () => {
    const notJson = await post('username=alice', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(notJson.status, 415);
    assert.equal((await post('{"username":')).status, 400);
    assert.equal((await post({ username: 'alice' })).status, 400);
    assert.equal((await post({ username: 'x'.repeat(5000), password: 'p' })).status, 413);
    const foreign = await post(
      { username: 'alice', password: 'secret-a' },
      { origin: 'https://evil.example' },
    );
    assert.equal(foreign.status, 403);
    const put = await fetch(`${base}/api/session`, { method: 'PUT' });
    assert.equal(put.status, 405);
    const body = (await (await post({ username: 'nobody', password: 'x' })).json()) as ApiError;
    assert.equal(body.code, 'credentials');
  });

  it('password guessing is slowed down: after 5 failures 429 with Retry-After', async () => {
    // The previous test spent one failure from this address already.
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) last = await post({ username: 'alice', password: `guess${i}` });
    assert.ok(last);
    assert.equal(last.status, 429);
    assert.ok(Number(last.headers.get('retry-after')) > 0);
    // Even the right password waits now.
    assert.equal((await post({ username: 'alice', password: 'secret-a' })).status, 429);
  });
});
