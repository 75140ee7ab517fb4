/**
 * GET/PUT /api/forwarding (issue #7, contract in shared/api.ts): the
 * signed-in user's server-side forwarding rules. PUT replaces them all;
 * every rule is checked (own lines only, a dialable target) and the first
 * problem is answered 400 with its index.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_FORWARD_RULES, type ForwardRule } from '#shared/api.ts';
import { cleanRule, ruleProblem } from '#shared/forwarding.ts';
import { fail, signedIn, foreignOrigin, readJson, type SessionLookup } from './api-session.ts';
import { sendJson } from './server.ts';

export interface ForwardingApiOptions extends SessionLookup {
  readonly rules: (user: string) => readonly ForwardRule[];
  readonly setRules: (user: string, rules: readonly ForwardRule[]) => void;
}

export function createForwardingApi(
  opts: ForwardingApiOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/api/forwarding') return false;
    if (foreignOrigin(req)) {
      fail(res, 403, 'forbidden', 'requests from another site are refused');
      return true;
    }
    const user = signedIn(req, res, opts);
    if (user === undefined) return true;
    if (req.method === 'GET') {
      sendJson(res, 200, { rules: opts.rules(user.username) });
      return true;
    }
    if (req.method !== 'PUT') {
      fail(res, 405, 'bad-request', 'use GET or PUT', { allow: 'GET, PUT' });
      return true;
    }
    void readJson(req).then((body) => {
      const rules = body.ok ? (body.value as { rules?: unknown } | null)?.rules : undefined;
      if (!body.ok) fail(res, body.status, 'bad-request', body.error);
      else if (!Array.isArray(rules)) fail(res, 400, 'bad-request', 'send {"rules": [...]}');
      else if (rules.length > MAX_FORWARD_RULES)
        fail(res, 400, 'bad-request', `at most ${MAX_FORWARD_RULES} rules`);
      else {
        const index = rules.findIndex((r) => ruleProblem(r, user.lines) !== undefined);
        if (index >= 0) {
          fail(
            res,
            400,
            'bad-request',
            `rule ${index}: ${ruleProblem(rules[index], user.lines) ?? ''}`,
          );
          return;
        }
        const clean = (rules as ForwardRule[]).map(cleanRule);
        opts.setRules(user.username, clean);
        sendJson(res, 200, { rules: clean });
      }
    });
    return true;
  };
}
