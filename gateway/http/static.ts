/**
 * Serves the built PWA (sirv). Hashed assets are cached for good; the app
 * shell, the manifest and the service worker must be revalidated, or an
 * installed PWA would never see an update. Unknown paths without a file
 * extension get index.html, so links such as /?dial=123 or /journal work.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import type { Logger } from '../log.ts';

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function createStaticHandler(dir: string, log: Logger) {
  const built = existsSync(join(dir, 'index.html'));
  if (!built) log.warn({ dir }, 'the PWA is not built (run npm run build); / answers 503');
  const serve = sirv(dir, {
    single: true,
    etag: true,
    gzip: false,
    brotli: false,
    setHeaders: (res, pathname) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      const immutable = pathname.startsWith('/assets/');
      res.setHeader(
        'cache-control',
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      if (pathname === '/sw.js') res.setHeader('service-worker-allowed', '/');
    },
  });
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('method not allowed\n');
      return;
    }
    if (!built) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        'Linegate: the web app is not built. Run "npm run build" (npm start does it for you).\n',
      );
      return;
    }
    serve(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    });
  };
}
