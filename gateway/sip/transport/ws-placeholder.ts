import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Logger } from '../../log.ts';

export function attachSipWebSocket(ws: WebSocket, req: IncomingMessage, log: Logger): void {
  log.info({ remote: req.socket.remoteAddress }, 'sip websocket opened');
  ws.on('close', () => log.info('sip websocket closed'));
}
