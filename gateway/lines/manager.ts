/**
 * The registration manager (issue #4): keeps every configured SIP line
 * registered at its PBX. It owns one GroupRuntime per line group, applies
 * config changes live (apply() again with the new config), answers "which
 * line is this request for, and may this address send it" for the PBX side
 * of the core, reports status and counts, and un-REGISTERs everything on
 * stop, bounded in time.
 *
 *   const lines = new LineManager({ sip, log });
 *   lines.apply(config);            // start; later: apply(newConfig)
 *   lines.status();                 // GET /api/lines
 *   await lines.stop(3000);         // before the SIP stack closes
 */
import type { Config } from '../config/schema.ts';
import { category, type Logger } from '../log.ts';
import type { SipStack } from '../sip/stack.ts';
import { realClock, type Clock } from '../sip/transport/clock.ts';
import { GroupRuntime, type GroupEnv } from './group.ts';
import type { FailureReason } from './machine.ts';
import { planGroups, type GroupPlan, type LinePlan } from './plan.ts';
import { countStates, type LinesStatus, type StateCounts } from './status.ts';
import { AddressBook, systemResolve, type Resolve } from './trust.ts';

export interface LineManagerOptions {
  readonly sip: SipStack;
  /** Root logger; the manager logs under 'lines.register'. */
  readonly log: Logger;
  /** Monotonic time and timers (fake in unit tests). */
  readonly clock?: Clock;
  /** Wall-clock ms, for the times in status(). */
  readonly wallNow?: () => number;
  /** Back-off jitter source, uniform in [0, 1). */
  readonly random?: () => number;
  readonly resolve?: Resolve;
  readonly userAgent?: string;
  /** Lines of a group that may wait for a first answer at once while starting (default 64). */
  readonly window?: number;
  /** Every failed REGISTER exchange (metrics). */
  readonly onFailure?: (group: string, reason: FailureReason) => void;
}

export type InboundMatch =
  /** No line groups at all: the PBX side has nothing to protect. */
  | { readonly kind: 'no-lines' }
  /** Neither a registrar nor a trusted address of any group. */
  | { readonly kind: 'untrusted' }
  | { readonly kind: 'unknown-user' }
  | { readonly kind: 'line'; readonly id: string; readonly registered: boolean };

/** A line as a call sees it (LineManager.lineInfo). */
export interface LineInfo {
  readonly plan: LinePlan;
  readonly codecs: GroupPlan['codecs'];
  readonly decline: GroupPlan['decline'];
  readonly journal: boolean;
  readonly location: GroupPlan['location'];
  readonly mailboxForwarding: boolean;
  readonly featureCodes: GroupPlan['featureCodes'];
  readonly pickupCode: string | undefined;
  readonly functions: GroupPlan['functions'];
  readonly registered: boolean;
  /** The line's own numbers (configured, or learnt from the registration). */
  readonly numbers: readonly string[];
}

export interface ApplySummary {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

export const DEFAULT_STOP_MS = 3000;

export class LineManager {
  readonly #opts: LineManagerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #book: AddressBook;
  #groups = new Map<string, GroupRuntime>();
  readonly #leaving = new Set<Promise<void>>();
  #stopping: Promise<void> | undefined;

  constructor(opts: LineManagerOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
    this.#log = category(opts.log, 'lines.register');
    this.#book = new AddressBook(opts.resolve ?? systemResolve, this.#clock, this.#log);
  }

  /** Starts the lines of `config`, or moves the running ones to it (live config change). */
  apply(config: Pick<Config, 'lineGroups'>): ApplySummary {
    if (this.#stopping !== undefined) return { added: 0, removed: 0, changed: 0 };
    let added = 0;
    let removed = 0;
    let changed = 0;
    const next = new Map<string, GroupRuntime>();
    for (const plan of planGroups(config)) {
      const running = this.#groups.get(plan.id);
      if (running === undefined) {
        const group = new GroupRuntime(plan, this.#groupEnv());
        group.start();
        added += plan.lines.length;
        next.set(plan.id, group);
      } else {
        const diff = running.apply(plan);
        added += diff.added.length;
        removed += diff.removed.length;
        changed += diff.changed.length;
        next.set(plan.id, running);
      }
    }
    for (const [id, group] of this.#groups) {
      if (next.has(id)) continue;
      removed += group.plan.lines.length;
      for (const p of group.stop()) this.#track(p);
    }
    this.#groups = next;
    this.#book.retain(new Set(this.#hosts()));
    return { added, removed, changed };
  }

  status(): LinesStatus {
    const toWall = this.#toWall();
    const groups = [...this.#groups.values()].map((g) => g.status(toWall));
    return { groups, counts: countStates(groups.flatMap((g) => g.lines)) };
  }

  /** Per-group state counts (metrics; cheaper than status()). */
  counts(): { readonly group: string; readonly counts: StateCounts & { total: number } }[] {
    return [...this.#groups.values()].map((g) => ({ group: g.plan.id, counts: g.counts() }));
  }

  /**
   * Which line a request from the PBX side is for (issue #4): only a
   * group's registrar (resolved) or its trustedAddresses may send; the
   * line is found by the first of `users` (Request-URI user, then To user)
   * that names one of that group's lines.
   */
  match(address: string, users: readonly string[]): InboundMatch {
    if (this.#groups.size === 0) return { kind: 'no-lines' };
    const trusting = [...this.#groups.values()].filter((g) => g.trusts(address));
    if (trusting.length === 0) return { kind: 'untrusted' };
    for (const user of users) {
      for (const g of trusting) {
        const line = g.find(user);
        if (line !== undefined) {
          return { kind: 'line', id: line.plan.id, registered: line.state.kind === 'registered' };
        }
      }
    }
    return { kind: 'unknown-user' };
  }

  /** The line ids of a group (config order). */
  groupLineIds(group: string): string[] {
    return this.#groups.get(group)?.plan.lines.map((l) => l.id) ?? [];
  }

  /** What a call needs of a line ("<group>/<username>"), or undefined for no such line. */
  lineInfo(id: string): LineInfo | undefined {
    const slash = id.indexOf('/');
    const group = this.#groups.get(id.slice(0, slash));
    const line = slash < 0 ? undefined : group?.find(id.slice(slash + 1));
    if (group === undefined || line === undefined || line.plan.id !== id) return undefined;
    return {
      plan: line.plan,
      codecs: group.plan.codecs,
      decline: group.plan.decline,
      journal: group.plan.journal,
      location: group.plan.location,
      mailboxForwarding: group.plan.mailboxForwarding,
      featureCodes: group.plan.featureCodes,
      pickupCode: group.plan.pickupCode,
      functions: group.plan.functions,
      registered: line.state.kind === 'registered',
      numbers: line.numbers,
    };
  }

  /** Resolves once the registrars and trusted hosts of the running groups are resolved. */
  resolved(): Promise<void> {
    return this.#book.want(this.#hosts());
  }

  #hosts(): string[] {
    return [...this.#groups.values()].flatMap((g) => [
      g.plan.registrar.host,
      ...g.plan.trustedAddresses,
    ]);
  }

  /**
   * Clean shutdown: un-REGISTER every line (expires=0, RFC 3261 §10.2.2),
   * waiting at most `timeoutMs` — a PBX that does not answer must not hold
   * up the gateway's stop.
   */
  stop(timeoutMs = DEFAULT_STOP_MS): Promise<void> {
    this.#stopping ??= this.#stop(timeoutMs);
    return this.#stopping;
  }

  async #stop(timeoutMs: number): Promise<void> {
    const groups = [...this.#groups.values()];
    const all = [...groups.flatMap((g) => g.stop()), ...this.#leaving];
    let timer: ReturnType<Clock['setTimer']> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = this.#clock.setTimer(timeoutMs, () => resolve(true));
    });
    const finished = Promise.allSettled(all).then(() => false);
    const late = await Promise.race([finished, timedOut]);
    if (timer !== undefined) this.#clock.clearTimer(timer);
    const left = groups.reduce((n, g) => n + g.counts().unregistering, 0);
    if (late) {
      this.#log.warn(
        { timeoutMs, unregistering: left },
        'un-REGISTER not finished in time: stopping anyway',
      );
    } else if (all.length > 0) {
      this.#log.info({ lines: all.length }, 'all lines un-registered');
    }
    for (const g of groups) g.dispose();
    this.#book.close();
  }

  #track(stopped: Promise<void>): void {
    this.#leaving.add(stopped);
    void stopped.then(() => this.#leaving.delete(stopped));
  }

  #groupEnv(): GroupEnv {
    return {
      sip: this.#opts.sip,
      clock: this.#clock,
      random: this.#opts.random ?? Math.random,
      userAgent: this.#opts.userAgent ?? 'Linegate',
      log: this.#log,
      book: this.#book,
      window: this.#opts.window ?? 64,
      failed: (group, reason) => this.#opts.onFailure?.(group, reason),
      leaving: (stopped) => this.#track(stopped),
    };
  }

  #toWall(): (mono: number) => string {
    const offset = (this.#opts.wallNow ?? Date.now)() - this.#clock.now();
    return (mono) => new Date(Math.round(offset + mono)).toISOString();
  }
}
