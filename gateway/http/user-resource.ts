/**
 * A setting each signed-in user reads and replaces as a whole, as JSON:
 * GET answers it, PUT checks the body and stores it (the forwarding rules,
 * the after-sign-in action). What every such route must do is done here
 * once: its path, the Origin check, the session (401), the methods (405)
 * and the body (4xx from readJson).
 */
import type { UserConfig } from '../config/schema.ts';
import {
  fail,
  foreignOrigin,
  readJson,
  signedIn,
  type ApiRoute,
  type SessionLookup,
} from './api-session.ts';
import { sendJson } from './server.ts';

/** What a PUT stores and answers, or the error it gets. */
export type PutResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly error: string };

export interface UserResourceOptions extends SessionLookup {
  readonly path: string;
  /** The user's setting as GET answers it. */
  readonly get: (user: UserConfig) => unknown;
  /** Checks the body (parsed JSON) and, when it is good, stores it. */
  readonly put: (user: UserConfig, body: unknown) => PutResult;
}

export function createUserResource(opts: UserResourceOptions): ApiRoute {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== opts.path) return false;
    if (foreignOrigin(req)) {
      fail(res, 403, 'forbidden', 'requests from another site are refused');
      return true;
    }
    const user = signedIn(req, res, opts);
    if (user === undefined) return true;
    if (req.method === 'GET') {
      sendJson(res, 200, opts.get(user));
      return true;
    }
    if (req.method !== 'PUT') {
      fail(res, 405, 'bad-request', 'use GET or PUT', { allow: 'GET, PUT' });
      return true;
    }
    void readJson(req).then((body) => {
      const put: PutResult = body.ok
        ? opts.put(user, body.value)
        : { ok: false, status: body.status, code: 'bad-request', error: body.error };
      if (put.ok) sendJson(res, 200, put.value);
      else fail(res, put.status, put.code, put.error);
    });
    return true;
  };
}

/** A 400 for a body that is not what the route takes. */
export const badBody = (error: string): PutResult => ({
  ok: false,
  status: 400,
  code: 'bad-request',
  error,
});
