/**
 * GET/PUT /api/after-sign-in (issue #7, seed 000; contract in shared/api.ts):
 * the number the PWA dials right after the user signs in — typically a
 * feature code that cancels a forwarding set at the PBX. As in ProCall it
 * needs exactly one line (which line would it dial on otherwise?): setting
 * one with more or fewer lines is 409; clearing it always works.
 */
import type { AfterSignIn, AfterSignInAction } from '#shared/api.ts';
import type { UserConfig } from '../config/schema.ts';
import type { ApiRoute, SessionLookup } from './api-session.ts';
import { badBody, createUserResource, type PutResult } from './user-resource.ts';

export interface AfterSignInApiOptions extends SessionLookup {
  readonly get: (user: string) => AfterSignIn;
  readonly set: (user: string, value: AfterSignIn) => void;
}

const DIAL = /^[0-9*#+]{1,32}$/;
const MAX_NAME = 100;

/** The body as an AfterSignIn, or why it is not one. */
export function parseAfterSignIn(
  body: unknown,
): { ok: true; value: AfterSignIn } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, error: 'send {"dial": null} or {"dial": "<digits>", "name": "<text>"}' };
  const { dial, name } = body as { dial?: unknown; name?: unknown };
  if (dial === null) return { ok: true, value: { dial: null } };
  if (typeof dial !== 'string' || !DIAL.test(dial))
    return { ok: false, error: 'dial: digits, *, # and +, at most 32' };
  const shown = typeof name === 'string' ? name.trim() : '';
  // Control characters would end up in the PWA's call view and logs.
  // eslint-disable-next-line no-control-regex
  if (shown === '' || shown.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(shown))
    return { ok: false, error: `name: 1 to ${MAX_NAME} printable characters` };
  return { ok: true, value: { dial, name: shown } };
}

/** Session.afterSignIn: the stored action while the user has exactly one line. */
export function afterSignInAction(
  user: UserConfig,
  value: AfterSignIn,
): AfterSignInAction | undefined {
  const [line, ...more] = user.lines;
  if (value.dial === null || line === undefined || more.length > 0) return undefined;
  return { line, dial: value.dial, name: value.name };
}

export function createAfterSignInApi(opts: AfterSignInApiOptions): ApiRoute {
  return createUserResource({
    ...opts,
    path: '/api/after-sign-in',
    get: (user) => opts.get(user.username),
    put: (user, body): PutResult => {
      const parsed = parseAfterSignIn(body);
      if (!parsed.ok) return badBody(parsed.error);
      if (parsed.value.dial !== null && user.lines.length !== 1)
        return {
          ok: false,
          status: 409,
          code: 'not-single-line',
          error: `an after-sign-in action needs exactly one line; you have ${user.lines.length}`,
        };
      opts.set(user.username, parsed.value);
      return { ok: true, value: parsed.value };
    },
  });
}
