/**
 * Who may use the gateway, in one place: the users of the running config
 * and their browser sessions (issue #6). The registrar asks it for digest
 * credentials, the session API for the user's lines as the phone shows them.
 */
import { NUMBER_PLACEHOLDER, type ApiColleagueLine, type ApiLine } from '#shared/api.ts';
import type { UserConfig } from './config/schema.ts';
import type { LineInfo } from './lines/manager.ts';
import type { Credentials } from './registrar/registrar.ts';
import type { HashName } from './sip/auth/digest.ts';
import { SESSION_USER_PREFIX, type SessionStore } from './store/sessions.ts';

export interface AccountsOptions {
  readonly users: () => readonly UserConfig[];
  readonly sessions: SessionStore;
  readonly lineInfo: (id: string) => LineInfo | undefined;
  readonly activity: (lineId: string) => { ringing: number; active: number };
  readonly dnd: (lineId: string) => boolean;
  /** The line ids of a line group. */
  readonly groupLines: (group: string) => readonly string[];
}

export interface Accounts {
  /** Digest identities: a user with their password, or a live session of a configured user. */
  credentials(authUser: string, hash: HashName): Credentials | undefined;
  /** The user's lines, in their configured order, with live state. */
  linesOf(user: UserConfig): ApiLine[];
  /** Colleagues' lines a user with the pickup permission may pick up from. */
  colleaguesOf(user: UserConfig): ApiColleagueLine[];
}

export function createAccounts(opts: AccountsOptions): Accounts {
  const userNamed = (name: string) => opts.users().find((u) => u.username === name);
  const colleaguesOf = (user: UserConfig): ApiColleagueLine[] => {
    if (!user.pickup) return [];
    const out: ApiColleagueLine[] = [];
    for (const own of user.lines) {
      const info = opts.lineInfo(own);
      const code = info?.pickupCode;
      if (info === undefined || code === undefined) continue;
      for (const id of opts.groupLines(info.plan.group)) {
        if (user.lines.includes(id) || out.some((c) => c.id === id)) continue;
        const other = opts.lineInfo(id);
        if (other === undefined) continue;
        const number = other.numbers[0] ?? other.plan.username;
        out.push({
          id,
          label: other.plan.displayName ?? number,
          number,
          ringing: opts.activity(id).ringing,
          pickup: code.replace(NUMBER_PLACEHOLDER, number),
          viaLine: own,
        });
      }
    }
    return out;
  };
  return {
    colleaguesOf,
    credentials: (authUser, hash) => {
      if (authUser.startsWith(SESSION_USER_PREFIX)) {
        const s = opts.sessions.digest(authUser, hash);
        if (s === undefined || userNamed(s.username) === undefined) return undefined;
        return { username: s.username, secret: { ha1: s.ha1 } };
      }
      const user = userNamed(authUser);
      return user === undefined ? undefined : { username: user.username, secret: user.password };
    },
    linesOf: (user) =>
      user.lines.map((id): ApiLine => {
        const info = opts.lineInfo(id);
        const number = info?.numbers[0] ?? info?.plan.username ?? id.slice(id.indexOf('/') + 1);
        return {
          id,
          label: info?.plan.displayName ?? number,
          number,
          registered: info?.registered ?? false,
          decline: declineOf(info),
          dnd: opts.dnd(id),
          ...(info === undefined ? {} : { functions: info.functions }),
          ...(info?.location === undefined ? {} : { location: info.location }),
          featureCodes: (info?.featureCodes ?? [])
            .filter((f) => f.offer)
            .map((f) => ({ name: f.name, code: f.code })),
          ...opts.activity(id),
        };
      }),
  };
}

function declineOf(info: LineInfo | undefined): ApiLine['decline'] {
  if (info === undefined || info.decline.byClient === 'clientChoice')
    return info?.decline.hideDeclineButton === true ? 'hidden' : 'choice';
  return info.decline.hideDeclineButton ? 'hidden' : 'single';
}
