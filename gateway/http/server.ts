/**
 * One HTTP(S) server on one port: the PWA at /, the JSON API under /api,
 * /healthz, /metrics, and SIP over WebSocket at /sip (RFC 7118, subprotocol
 * "sip"). TLS when server.tls is set; the config refuses plain HTTP on
 * anything but loopback.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LinegateError } from '#shared/errors.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from './metrics.ts';
import { createStaticHandler } from './static.ts';

/** RFC 7118 §5: the WebSocket subprotocol for SIP. */
export const SIP_SUBPROTOCOL = 'sip';
/** A SIP message larger than this is refused (issue #3: messages over 64 KiB). */
export const MAX_WS_MESSAGE = 64 * 1024;

export interface HttpDeps {
  config: Config['server'];
  log: Logger;
  metrics: Metrics;
  version: string;
  startedAt: number;
  now: () => number;
  /** Built PWA directory (index.html, sw.js, assets/). */
  staticDir: string;
  /** Called for every accepted SIP WebSocket. */
  onSipSocket: (ws: WebSocket, req: IncomingMessage) => void;
  /** Extra API routes; returns false when the path is not theirs. */
  api?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface HttpServer {
  listen(): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function createHttpServer(deps: HttpDeps): HttpServer {
  const { config, log } = deps;
  const serveStatic = createStaticHandler(deps.staticDir, log);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    try {
      route(deps, serveStatic, req, res);
    } catch (e) {
      log.error({ err: e, url: req.url }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    }
  };
  const server = config.tls ? createHttps(readTls(config.tls), handler) : createHttp(handler);
  // Slowloris and idle sockets: bound how long a request may take to arrive.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false),
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req);
    if (refusal) {
      log.debug({ url: req.url, refusal }, 'websocket upgrade refused');
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => deps.onSipSocket(ws, req));
  });
  server.on('clientError', (err, socket) => {
    log.debug({ err }, 'http client error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const ws of wss.clients) ws.close(1001, 'gateway shutting down');
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** RFC 6455 §4.2.2 / RFC 7118 §4: only /sip, only with the "sip" subprotocol. */
function checkUpgrade(req: IncomingMessage): string | undefined {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/sip') return '404 Not Found';
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(SIP_SUBPROTOCOL)) return '400 WebSocket subprotocol "sip" required';
  return undefined;
}

function readTls(tls: { cert: string; key: string }): { cert: Buffer; key: Buffer } {
  const read = (key: 'cert' | 'key') => {
    try {
      return readFileSync(tls[key]);
    } catch (cause) {
      throw new LinegateError(
        'config.invalid',
        `server.tls.${key}: cannot read ${tls[key]}: ${String(cause)}`,
        {
          cause,
          details: { key: `server.tls.${key}` },
        },
      );
    }
  };
  return { cert: read('cert'), key: read('key') };
}

function route(
  deps: HttpDeps,
  serveStatic: (req: IncomingMessage, res: ServerResponse) => void,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/healthz') {
    sendJson(res, 200, {
      status: 'ok',
      version: deps.version,
      uptimeSeconds: Math.round((deps.now() - deps.startedAt) / 1000),
    });
  } else if (path === '/metrics') {
    deps.metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
        res.end(text);
      },
      (err: unknown) => {
        deps.log.error({ err }, 'metrics collection failed');
        sendJson(res, 500, { error: 'metrics collection failed' });
      },
    );
  } else if (path === '/sip') {
    sendJson(
      res,
      426,
      { error: 'SIP over WebSocket: connect with a WebSocket, subprotocol "sip"' },
      { upgrade: 'websocket' },
    );
  } else if (path === '/api' || path.startsWith('/api/')) {
    if (!deps.api?.(req, res)) sendJson(res, 404, { error: `no API at ${path}` });
  } else {
    serveStatic(req, res);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}
