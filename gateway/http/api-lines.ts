/**
 * GET /api/lines: every line's registration state and per-group counts
 * (issue #4). For administrators only; until users can sign in over HTTP,
 * "administrator" means a client on a loopback address (the operator on the
 * gateway's host) and everybody else gets 403 with a JSON message.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LinesStatus } from '../lines/status.ts';
import type { Logger } from '../log.ts';
import { sendJson } from './server.ts';

export interface LinesApiOptions {
  readonly status: () => LinesStatus;
  readonly log: Logger;
}

/** Routes of this module; returns false for paths that are not its own. */
export function createLinesApi(
  opts: LinesApiOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/api/lines' && path !== '/api/lines/') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        { error: `${req.method ?? '?'} is not supported on /api/lines: use GET` },
        { allow: 'GET, HEAD' },
      );
      return true;
    }
    if (!isAdmin(req)) {
      opts.log.info(
        { remote: req.socket.remoteAddress, path },
        'line status refused: not an administrator',
      );
      sendJson(res, 403, {
        error:
          'line status is for administrators; until sign-in exists it is served to loopback clients only',
      });
      return true;
    }
    sendJson(res, 200, opts.status());
    return true;
  };
}

/**
 * Until HTTP sign-in exists (then: a session of a user with `admin: true`),
 * only the gateway's own host is trusted. A reverse proxy on the same host
 * makes everyone look local: X-Forwarded-For is deliberately not read.
 */
export function isAdmin(req: IncomingMessage): boolean {
  return isLoopbackAddress(req.socket.remoteAddress ?? '');
}

export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase();
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
