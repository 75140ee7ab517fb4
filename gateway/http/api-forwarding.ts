/**
 * GET/PUT /api/forwarding (issue #7, contract in shared/api.ts): the
 * signed-in user's server-side forwarding rules. PUT replaces them all;
 * every rule is checked (own lines only, a dialable target) and the first
 * problem is answered 400 with its index.
 */
import { MAX_FORWARD_RULES, type ForwardRule } from '#shared/api.ts';
import { cleanRule, ruleProblem } from '#shared/forwarding.ts';
import type { ApiRoute, SessionLookup } from './api-session.ts';
import { badBody, createUserResource, type PutResult } from './user-resource.ts';

export interface ForwardingApiOptions extends SessionLookup {
  readonly rules: (user: string) => readonly ForwardRule[];
  readonly setRules: (user: string, rules: readonly ForwardRule[]) => void;
}

export function createForwardingApi(opts: ForwardingApiOptions): ApiRoute {
  return createUserResource({
    ...opts,
    path: '/api/forwarding',
    get: (user) => ({ rules: opts.rules(user.username) }),
    put: (user, body): PutResult => {
      const rules = (body as { rules?: unknown } | null)?.rules;
      if (!Array.isArray(rules)) return badBody('send {"rules": [...]}');
      if (rules.length > MAX_FORWARD_RULES) return badBody(`at most ${MAX_FORWARD_RULES} rules`);
      const index = rules.findIndex((r) => ruleProblem(r, user.lines) !== undefined);
      if (index >= 0)
        return badBody(`rule ${index}: ${ruleProblem(rules[index], user.lines) ?? ''}`);
      const clean = (rules as ForwardRule[]).map(cleanRule);
      opts.setRules(user.username, clean);
      return { ok: true, value: { rules: clean } };
    },
  });
}
