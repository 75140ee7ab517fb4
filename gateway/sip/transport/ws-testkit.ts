/**
 * A small HTTP server that accepts SIP WebSockets at /sip the way
 * gateway/http/server.ts does (subprotocol "sip", maxPayload 64 KiB), and a
 * client with an awaitable inbox. For the WebSocket and stack tests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export const MAX_WS_MESSAGE = 64 * 1024;

export interface SipWsServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startWsServer(
  onSocket: (ws: WebSocket, req: IncomingMessage) => void,
): Promise<SipWsServer> {
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
  });
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, req)),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/sip`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A WebSocket client whose text frames are awaited one by one. */
export class WsClient {
  readonly frames: string[] = [];
  private waiter: ((s: string) => void) | undefined;
  closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const s = data.toString();
      const w = this.waiter;
      this.waiter = undefined;
      if (w) w(s);
      else this.frames.push(s);
    });
    this.closed = new Promise((r) => ws.on('close', (code) => r(code)));
  }

  static async connect(url: string, opts: { autoPong?: boolean } = {}): Promise<WsClient> {
    const ws = new WebSocket(url, 'sip', { autoPong: opts.autoPong ?? true });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new WsClient(ws);
  }

  send(text: string | Buffer): void {
    this.ws.send(text);
  }

  next(): Promise<string> {
    const s = this.frames.shift();
    return s !== undefined ? Promise.resolve(s) : new Promise((r) => (this.waiter = r));
  }

  close(): void {
    this.ws.close();
  }
}
