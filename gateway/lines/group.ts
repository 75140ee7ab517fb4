/**
 * One line group at run time: its lines, the queue that starts them
 * `registerDelayMs` apart, the NAT keep-alive toward its registrar, and the
 * addresses it accepts requests from. A changed group (live config change)
 * is applied line by line: new lines start through the queue, removed ones
 * un-REGISTER, changed ones re-register (plan.ts decides how).
 */
import type { Logger } from '../log.ts';
import type { SipUri } from '../sip/message/types.ts';
import type { SipStack } from '../sip/stack.ts';
import type { Clock } from '../sip/transport/clock.ts';
import { Keepalive } from './keepalive.ts';
import { LineRunner, type LineHooks } from './line.ts';
import type { FailureReason, LineState } from './machine.ts';
import { diffLines, type GroupDiff, type GroupPlan, type LinePlan } from './plan.ts';
import { registrarUri } from './register-message.ts';
import { StartQueue } from './stagger.ts';
import { countStates, statusState, type GroupStatus, type StateCounts } from './status.ts';
import type { AddressBook } from './trust.ts';

export interface GroupEnv {
  readonly sip: SipStack;
  readonly clock: Clock;
  readonly random: () => number;
  readonly userAgent: string;
  /** Category 'lines.register'. */
  readonly log: Logger;
  readonly book: AddressBook;
  /** At most this many lines of a group wait for their first answer while the queue starts lines. */
  readonly window: number;
  readonly failed: (group: string, reason: FailureReason) => void;
  /** A line that left the config un-REGISTERs in the background; stop() awaits it. */
  readonly leaving: (stopped: Promise<void>) => void;
}

export class GroupRuntime {
  #plan: GroupPlan;
  readonly #env: GroupEnv;
  /** By username. */
  readonly #lines = new Map<string, LineRunner>();
  /** Lines on their way out (un-REGISTER in flight), by username. */
  readonly #leaving = new Map<string, Promise<void>>();
  readonly #queue: StartQueue;
  readonly #keepalive: Keepalive;
  readonly #hooks: LineHooks;
  #registering = 0;
  #closed = false;

  constructor(plan: GroupPlan, env: GroupEnv) {
    this.#plan = plan;
    this.#env = env;
    this.#queue = new StartQueue({
      clock: env.clock,
      delayMs: plan.registerDelayMs,
      busy: () => this.#registering,
      window: env.window,
    });
    this.#keepalive = new Keepalive(
      {
        sip: env.sip,
        clock: env.clock,
        log: env.log,
        userAgent: env.userAgent,
        from: () => this.#registeredAor(),
      },
      plan.registrar,
      plan.natRefreshSeconds,
    );
    this.#hooks = {
      changed: (line, previous) => this.#changed(line, previous),
      failed: (_line, reason) => env.failed(plan.id, reason),
      sending: () => this.#keepalive.noteSent(),
    };
    void env.book.want(this.#hosts());
  }

  get plan(): GroupPlan {
    return this.#plan;
  }

  /** NAT keep-alives sent. */
  get keepalives(): number {
    return this.#keepalive.sent;
  }

  /** Queues every line of the plan (the gateway just started). */
  start(): void {
    for (const plan of this.#plan.lines) this.#add(plan);
  }

  apply(plan: GroupPlan): GroupDiff {
    const diff = diffLines(this.#plan.lines, plan.lines);
    this.#plan = plan;
    this.#queue.setDelay(plan.registerDelayMs);
    this.#keepalive.update(plan.registrar, plan.natRefreshSeconds);
    void this.#env.book.want(this.#hosts());
    for (const old of diff.removed) this.#remove(old.username, true);
    for (const { plan: line, change } of diff.changed) {
      const runner = this.#lines.get(line.username);
      if (runner === undefined) continue;
      if (change === 'move') {
        // Another registrar: the old binding's un-REGISTER cannot touch the new one.
        this.#remove(line.username, false);
        this.#add(line);
      } else {
        runner.update(line);
        // New credentials go out through the queue: a fixed group password must not burst.
        if (change === 'reauth') {
          this.#queue.push(line.username, () => {
            if (runner.state.kind === 'unregistered') runner.start();
            else runner.refreshNow();
          });
        }
      }
    }
    for (const line of diff.added) this.#add(line);
    this.#reorder();
    return diff;
  }

  /** Un-REGISTERs every line; resolves per line. */
  stop(): Promise<void>[] {
    this.#closed = true;
    this.#queue.clear();
    this.#keepalive.stop();
    return [...this.#lines.values()].map((l) => l.stop());
  }

  dispose(): void {
    for (const l of this.#lines.values()) l.dispose();
  }

  /** Whether requests from this source address are the group's PBX (or a trusted host). */
  trusts(address: string): boolean {
    return this.#hosts().some((h) => this.#env.book.has(h, address));
  }

  /** The line a request is for: by username, else by one of its numbers. */
  find(user: string): LineRunner | undefined {
    const direct = this.#lines.get(user);
    if (direct !== undefined) return direct;
    for (const l of this.#lines.values()) if (l.numbers.includes(user)) return l;
    return undefined;
  }

  counts(): StateCounts & { total: number } {
    return countStates([...this.#lines.values()].map((l) => ({ state: statusState(l.state) })));
  }

  status(toWall: (mono: number) => string): GroupStatus {
    const lines = [...this.#lines.values()].map((l) => l.status(toWall));
    const { host, port } = this.#plan.registrar;
    return {
      id: this.#plan.id,
      ...(this.#plan.name === undefined ? {} : { name: this.#plan.name }),
      registrar: `${host}:${port}`,
      counts: countStates(lines),
      lines,
    };
  }

  #hosts(): string[] {
    return [this.#plan.registrar.host, ...this.#plan.trustedAddresses];
  }

  #add(plan: LinePlan): void {
    const runner = new LineRunner(plan, {
      sip: this.#env.sip,
      clock: this.#env.clock,
      random: this.#env.random,
      userAgent: this.#env.userAgent,
      log: this.#env.log,
      hooks: this.#hooks,
      transportDetail: (host) => this.#env.book.error(host),
    });
    this.#lines.set(plan.username, runner);
    const start = () => this.#queue.push(plan.username, () => runner.start());
    // The same account removed a moment ago: its un-REGISTER would remove our new binding.
    const leaving = this.#leaving.get(plan.username);
    if (leaving === undefined) start();
    else
      void leaving.then(
        () => !this.#closed && this.#lines.get(plan.username) === runner && start(),
      );
  }

  /** `block`: a line re-added under this username waits for the un-REGISTER. */
  #remove(username: string, block: boolean): void {
    const runner = this.#lines.get(username);
    if (runner === undefined) return;
    this.#lines.delete(username);
    this.#queue.remove(username);
    const stopped = runner.stop();
    this.#env.leaving(stopped);
    if (!block) return;
    this.#leaving.set(username, stopped);
    void stopped.then(() => {
      if (this.#leaving.get(username) === stopped) this.#leaving.delete(username);
    });
  }

  /** Keeps the lines in config order (status output), whatever was added when. */
  #reorder(): void {
    const byName = new Map(this.#lines);
    this.#lines.clear();
    for (const l of this.#plan.lines) {
      const runner = byName.get(l.username);
      if (runner !== undefined) this.#lines.set(l.username, runner);
    }
  }

  #changed(line: LineRunner, previous: LineState): void {
    if (previous.kind === 'registering') this.#registering -= 1;
    if (line.state.kind === 'registering') this.#registering += 1;
    if (!this.#closed) this.#queue.pump();
  }

  /** The AOR of a registered line (sip:user@registrar), for the keep-alive's From. */
  #registeredAor(): SipUri | undefined {
    for (const l of this.#lines.values()) {
      if (l.state.kind === 'registered') {
        return { ...registrarUri(this.#plan.registrar), user: l.plan.username };
      }
    }
    return undefined;
  }
}
