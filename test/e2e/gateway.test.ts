/**
 * The foundation's contract, exercised on the real entry point (npm start's
 * scripts/start.mjs): health, metrics, the PWA, the /sip WebSocket, TLS, bad
 * config refused with key and line, clean stop on SIGTERM.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import {
  runGateway,
  startedUrl,
  tempDir,
  type GatewayProcess,
} from '../support/gateway-process.ts';

const running: GatewayProcess[] = [];
after(() => running.forEach((g) => g.cleanup()));

function start(yaml: string): GatewayProcess {
  const gw = runGateway(yaml);
  running.push(gw);
  return gw;
}

const plain = (dir = 'data') =>
  `server: { host: 127.0.0.1, port: 0 }\nsip: { port: 0 }\ndata: ${dir}\n`;

function openWs(url: string, protocols?: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`HTTP ${res.statusCode} ${res.statusMessage}`)),
    );
  });
}

describe('gateway process', () => {
  it('answers /healthz, /metrics, serves the PWA and opens /sip, then stops cleanly', async () => {
    const gw = start(plain());
    const base = await startedUrl(gw);

    const health = await fetch(new URL('/healthz', base));
    assert.equal(health.status, 200);
    const h = (await health.json()) as { status: string; version: string; uptimeSeconds: number };
    assert.equal(h.status, 'ok');
    assert.match(h.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof h.uptimeSeconds, 'number');

    const metrics = await (await fetch(new URL('/metrics', base))).text();
    assert.match(metrics, /^linegate_build_info\{version="[^"]+"\} 1$/m);
    assert.match(metrics, /^linegate_process_cpu_seconds_total /m);

    const index = await fetch(base);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /<lg-app>/);
    const deep = await fetch(new URL('/journal?dial=123', base));
    assert.match(await deep.text(), /<lg-app>/, 'client-side routes get the app shell');
    const manifest = (await (await fetch(new URL('/manifest.webmanifest', base))).json()) as Record<
      string,
      unknown
    >;
    assert.equal(manifest['display'], 'standalone');
    const sw = await fetch(new URL('/sw.js', base));
    assert.equal(sw.status, 200);
    assert.equal(sw.headers.get('cache-control'), 'no-cache');
    const api = await fetch(new URL('/api/nothing', base));
    assert.equal(api.status, 404);
    assert.match(((await api.json()) as { error: string }).error, /no API/);

    const wsUrl = `ws://${base.host}/sip`;
    const ws = await openWs(wsUrl, ['sip']);
    assert.equal(ws.protocol, 'sip');
    ws.close();
    await assert.rejects(openWs(wsUrl), /400/, 'the sip subprotocol is required');
    await assert.rejects(openWs(`ws://${base.host}/other`, ['sip']), /404/);

    const { code } = await gw.stop('SIGTERM');
    assert.equal(code, 0);
    assert.ok(gw.logs.some((l) => l.msg === 'stopped'));
    assert.ok(existsSync(join(gw.dir, 'data', 'linegate.db')), 'the database lives under data/');
  });

  it('refuses a bad config file, naming the key and line, and exits non-zero', async () => {
    const gw = start(
      `${plain()}lineGroups:\n  - id: hfo\n    registrar: { host: 127.0.0.1 }\n    lines:\n      - { usernames: "100-1x9", password: pw }\n`,
    );
    const { code } = await gw.exited;
    assert.equal(code, 78);
    assert.match(
      gw.stderr(),
      /linegate\.yaml:8: lineGroups\[0\]\.lines\[0\]\.usernames: .*100-1x9/,
    );
    assert.equal(gw.logs.filter((l) => l.msg === 'gateway started').length, 0);
  });

  it('refuses plain HTTP on a non-loopback address', async () => {
    const gw = start('server: { host: 0.0.0.0, port: 0 }\n');
    const { code } = await gw.exited;
    assert.equal(code, 78);
    assert.match(gw.stderr(), /server\.host: plain HTTP is allowed on loopback only/);
  });

  it('serves HTTPS and WSS when server.tls is set', async () => {
    const dir = tempDir();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const gw = start(
      `server: { host: 127.0.0.1, port: 0, tls: { cert: ${join(dir, 'cert.pem')}, key: ${join(dir, 'key.pem')} } }\nsip: { port: 0 }\ndata: ${join(dir, 'data')}\n`,
    );
    const base = await startedUrl(gw);
    assert.equal(base.protocol, 'https:');
    const body = await new Promise<string>((resolve, reject) => {
      httpsGet(new URL('/healthz', base), { rejectUnauthorized: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    assert.equal((JSON.parse(body) as { status: string }).status, 'ok');
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const w = new WebSocket(`wss://${base.host}/sip`, ['sip'], { rejectUnauthorized: false });
      w.once('open', () => resolve(w));
      w.once('error', reject);
    });
    assert.equal(ws.protocol, 'sip');
    ws.close();
    assert.equal((await gw.stop('SIGINT')).code, 0);
  });

  it('names server.tls.cert when the certificate cannot be read', async () => {
    const gw = start(
      'server: { host: 127.0.0.1, port: 0, tls: { cert: /nonexistent/cert.pem, key: /nonexistent/key.pem } }\nsip: { port: 0 }\ndata: data\n',
    );
    const { code } = await gw.exited;
    assert.equal(code, 78);
    assert.match(JSON.stringify(gw.logs), /server\.tls\.cert: cannot read/);
  });
});
