/**
 * PUT /api/lines/<group>/<username>/dnd {"on": true|false} (issue #7):
 * do-not-disturb of one of the signed-in user's own lines. While it is on,
 * calls to the line get the group's decline.noClient, as if nobody were
 * signed in. 204 | 400 | 401 | 403 (not your line) | 415.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail, signedIn, foreignOrigin, readJson, type SessionLookup } from './api-session.ts';

export interface LineSettingsApiOptions extends SessionLookup {
  readonly setDnd: (line: string, on: boolean, user: string) => void;
}

const PATH = /^\/api\/lines\/([a-z0-9][a-z0-9_-]{0,31}\/[^/]{1,64})\/dnd$/;

export function createLineSettingsApi(
  opts: LineSettingsApiOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const m = PATH.exec(path);
    if (m === null) return false;
    const line = decodeURIComponent(m[1] ?? '');
    if (foreignOrigin(req)) {
      fail(res, 403, 'forbidden', 'requests from another site are refused');
      return true;
    }
    if (req.method !== 'PUT') {
      fail(res, 405, 'bad-request', 'use PUT', { allow: 'PUT' });
      return true;
    }
    const user = signedIn(req, res, opts);
    if (user === undefined) return true;
    if (!user.lines.includes(line)) {
      fail(res, 403, 'forbidden', `line ${line} is not yours`);
      return true;
    }
    void readJson(req).then((body) => {
      const on = body.ok ? (body.value as { on?: unknown } | null)?.on : undefined;
      if (!body.ok) fail(res, body.status, 'bad-request', body.error);
      else if (typeof on !== 'boolean') fail(res, 400, 'bad-request', 'send {"on": true|false}');
      else {
        opts.setDnd(line, on, user.username);
        res.writeHead(204);
        res.end();
      }
    });
    return true;
  };
}
