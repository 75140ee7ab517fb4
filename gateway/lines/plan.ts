/**
 * What the configuration asks of the line manager, flattened: one plan per
 * line group and per line, and the difference between two configurations
 * (a live config change, issue #4). Pure: no sockets, no timers.
 */
import type { Config, LineGroupConfig } from '../config/schema.ts';
import { DEFAULT_TIMING, type LineTiming } from './machine.ts';

export interface Registrar {
  readonly host: string;
  readonly port: number;
}

export interface LinePlan {
  /** "<group>/<username>" (DESIGN.md). */
  readonly id: string;
  readonly group: string;
  readonly username: string;
  /** Digest user name: authUser if given, else the username ("authUserFromUsername", seed 004). */
  readonly authUser: string;
  readonly password: string;
  readonly displayName: string | undefined;
  /** 'auto': taken from the registration (P-Associated-URI, RFC 3455, or the AOR user). */
  readonly numbers: 'auto' | readonly string[];
  readonly registrar: Registrar;
  readonly timing: LineTiming;
}

export interface GroupPlan {
  readonly id: string;
  readonly name: string | undefined;
  readonly registrar: Registrar;
  /** "Register-Verzögerung" (seed 004): spacing of the lines' first REGISTERs. */
  readonly registerDelayMs: number;
  /** "NAT-Refresh" (seed 004); 0 = off. */
  readonly natRefreshSeconds: number;
  readonly trustedAddresses: readonly string[];
  readonly lines: readonly LinePlan[];
  /** Preferred codecs per leg (seed 004 "Codecs"): calls read them when they start. */
  readonly codecs: LineGroupConfig['codecs'];
  /** What to answer a call nobody can take (seed 004 "Ablehnen", issue #7 refines it). */
  readonly decline: LineGroupConfig['decline'];
  /** Calls of the group's lines go into the journal (seed 003). */
  readonly journal: boolean;
  /** Where the PBX is and how it dials (seed 004 "Standort"), if configured. */
  readonly location: LineGroupConfig['location'];
  /** Calls of users with a mailbox and no client signed in go to the mailbox (seed 002). */
  readonly mailboxForwarding: boolean;
  readonly featureCodes: LineGroupConfig['featureCodes'];
  /** The PBX's pickup code (`<NUMBER>`: the ringing extension), if any. */
  readonly pickupCode: string | undefined;
  /** Seed 003 "Funktionen": hold, transfer, DTMF, second call allowed. */
  readonly functions: LineGroupConfig['functions'];
}

/** The RFC 5626 §4.5 back-off of a group: its base from the config, the rest fixed. */
export function timingOf(g: LineGroupConfig): LineTiming {
  return {
    ...DEFAULT_TIMING,
    reregisterSeconds: g.reregisterSeconds,
    retryBaseSeconds: g.retrySeconds,
    // A wrong password is not fixed by retrying sooner: never below the default.
    authRetrySeconds: Math.max(DEFAULT_TIMING.authRetrySeconds, g.retrySeconds),
    retryMaxSeconds: Math.max(DEFAULT_TIMING.retryMaxSeconds, g.retrySeconds),
  };
}

export function planGroups(config: Pick<Config, 'lineGroups'>): GroupPlan[] {
  return config.lineGroups.map((g) => {
    const registrar = { host: g.registrar.host, port: g.registrar.port };
    const timing = timingOf(g);
    const lines = g.lines.flatMap((entry) =>
      entry.usernames.map((username): LinePlan => ({
        id: `${g.id}/${username}`,
        group: g.id,
        username,
        // The schema requires authUser when authUserFromUsername is false.
        authUser: entry.authUser ?? username,
        password: entry.password,
        displayName: entry.displayName,
        numbers: entry.numbers ?? 'auto',
        registrar,
        timing,
      })),
    );
    return {
      id: g.id,
      name: g.name,
      registrar,
      registerDelayMs: g.registerDelayMs,
      natRefreshSeconds: g.natRefreshSeconds,
      trustedAddresses: g.trustedAddresses,
      lines,
      codecs: g.codecs,
      decline: g.decline,
      journal: g.journal,
      location: g.location,
      mailboxForwarding: g.mailboxForwarding,
      featureCodes: g.featureCodes,
      pickupCode: g.pickupCode,
      functions: g.functions,
    };
  });
}

/**
 * How a line differs between two configurations:
 *  - 'move': the registrar changed: un-REGISTER at the old one, register at the new one;
 *  - 'reauth': credentials or identity changed: register again with them;
 *  - 'update': only local settings (numbers, timing) changed: applied in place.
 */
export type LineChange = 'move' | 'reauth' | 'update' | 'same';

export function lineChange(a: LinePlan, b: LinePlan): LineChange {
  if (a.registrar.host !== b.registrar.host || a.registrar.port !== b.registrar.port) return 'move';
  if (a.password !== b.password || a.authUser !== b.authUser || a.displayName !== b.displayName) {
    return 'reauth';
  }
  if (!sameNumbers(a.numbers, b.numbers) || !sameTiming(a.timing, b.timing)) return 'update';
  return 'same';
}

function sameNumbers(a: LinePlan['numbers'], b: LinePlan['numbers']): boolean {
  if (a === 'auto' || b === 'auto') return a === b;
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function sameTiming(a: LineTiming, b: LineTiming): boolean {
  return (
    a.reregisterSeconds === b.reregisterSeconds &&
    a.retryBaseSeconds === b.retryBaseSeconds &&
    a.retryMaxSeconds === b.retryMaxSeconds &&
    a.authRetrySeconds === b.authRetrySeconds
  );
}

export interface GroupDiff {
  readonly added: readonly LinePlan[];
  readonly removed: readonly LinePlan[];
  readonly changed: readonly {
    readonly plan: LinePlan;
    readonly change: Exclude<LineChange, 'same'>;
  }[];
}

/** Lines of one group, old → new, keyed by username; order follows the new config. */
export function diffLines(before: readonly LinePlan[], after: readonly LinePlan[]): GroupDiff {
  const old = new Map(before.map((l) => [l.username, l]));
  const next = new Set(after.map((l) => l.username));
  const added: LinePlan[] = [];
  const changed: { plan: LinePlan; change: Exclude<LineChange, 'same'> }[] = [];
  for (const plan of after) {
    const prev = old.get(plan.username);
    if (prev === undefined) {
      added.push(plan);
      continue;
    }
    const change = lineChange(prev, plan);
    if (change !== 'same') changed.push({ plan, change });
  }
  const removed = before.filter((l) => !next.has(l.username));
  return { added, removed, changed };
}
