/** GET /api/lines: admin only (loopback until sign-in exists), JSON answers for every refusal. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../gateway/log.ts';
import { emptyCounts, type LinesStatus } from '../../gateway/lines/status.ts';
import { createLinesApi, isLoopbackAddress } from '../../gateway/http/api-lines.ts';

const status: LinesStatus = { groups: [], counts: emptyCounts() };
let remote = '127.0.0.1';
const api = createLinesApi({ status: () => status, log: createLogger('silent') });
// The server is on loopback; what the API sees as the client address is swapped in here.
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  Object.defineProperty(req.socket, 'remoteAddress', { value: remote, configurable: true });
  if (!api(req, res)) res.writeHead(404).end();
});
let base = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('GET /api/lines', () => {
  it('serves loopback clients the status as JSON', async () => {
    remote = '::ffff:127.0.0.1';
    const res = await fetch(`${base}/api/lines`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), status);
  });

  it('refuses other addresses with 403 and a JSON message', async () => {
    remote = '192.0.2.44';
    const res = await fetch(`${base}/api/lines`);
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: string };
    assert.match(body.error, /administrators/);
  });

  it('405 for other methods; other paths are not its own', async () => {
    remote = '127.0.0.1';
    const res = await fetch(`${base}/api/lines`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assert.equal((await fetch(`${base}/api/other`)).status, 404);
  });

  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      assert.equal(isLoopbackAddress(a), true, a);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', ''])
      assert.equal(isLoopbackAddress(a), false, a);
  });
});
