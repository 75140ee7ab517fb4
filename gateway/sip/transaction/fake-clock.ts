/**
 * A driver that runs one transaction machine against a fake clock, for tests
 * that read as timelines ("sent at 0, 500, 1500 …, Timer F at 32000"). It
 * does what the transaction layer will do — apply effects in order, keep the
 * armed timers, fire them in due order — with virtual time: no real timers,
 * no sleeping.
 *
 * It also checks the machine's timer discipline and throws (this is a test
 * helper) when a machine starts a timer that is already armed, cancels one
 * that is not, or terminates with timers still armed.
 */
import { inviteClient } from './invite-client.ts';
import { inviteServer } from './invite-server.ts';
import { nonInviteClient } from './non-invite-client.ts';
import { nonInviteServer } from './non-invite-server.ts';
import type {
  Effect,
  Machine,
  TimerInput,
  TimerName,
  TransactionContext,
  TransportErrorInput,
} from './types.ts';

/** One step as it happened. */
export interface StepRecord<I, T extends TimerName> {
  readonly at: number;
  readonly input: I;
  readonly from: string;
  readonly to: string;
  readonly effects: readonly Effect<T>[];
}

interface Armed {
  readonly due: number;
  /** Start order, so that timers due at the same instant fire in the order they were started. */
  readonly seq: number;
}

type EffectType = Effect['type'];

export class TransactionDriver<
  S extends { readonly name: string },
  I extends { readonly type: string },
  T extends TimerName,
> {
  /** Virtual time in ms. */
  now = 0;
  state: S;
  /** When false, every transmission fails and the driver steps a transport error after the step. */
  transportUp = true;
  readonly steps: StepRecord<I | TimerInput<T> | TransportErrorInput, T>[] = [];
  private readonly armed = new Map<T, Armed>();
  private seq = 0;

  constructor(
    private readonly machine: Machine<S, I | TimerInput<T> | TransportErrorInput, Effect<T>>,
    private readonly ctx: TransactionContext,
  ) {
    this.state = machine.initial;
  }

  /** Steps one input now and applies its effects; returns those effects. */
  feed(input: I | TimerInput<T> | TransportErrorInput): readonly Effect<T>[] {
    // A timer input fed by hand counts as that timer firing.
    if (isTimerInput<T>(input)) this.armed.delete(input.timer);
    const from = this.state.name;
    const { state, effects } = this.machine.step(this.state, input, this.ctx);
    this.state = state;
    this.steps.push({ at: this.now, input, from, to: state.name, effects });
    let failures = 0;
    for (const effect of effects) failures += this.apply(effect) ? 0 : 1;
    // Like the layer: a failed transmission is reported once the step's effects are applied.
    for (let i = 0; i < failures; i++) this.feed({ type: 'transport-error' });
    return effects;
  }

  /** Moves the clock to `t`, firing every timer due at or before `t` in due order. */
  advanceTo(t: number): void {
    for (let next = this.nextDue(); next !== undefined && next[1].due <= t; next = this.nextDue()) {
      this.now = next[1].due;
      this.feed({ type: 'timer', timer: next[0] });
    }
    this.now = Math.max(this.now, t);
  }

  advance(ms: number): void {
    this.advanceTo(this.now + ms);
  }

  /** advanceTo(t), then feed(input) at t. */
  at(t: number, input: I | TimerInput<T> | TransportErrorInput): readonly Effect<T>[] {
    this.advanceTo(t);
    return this.feed(input);
  }

  /** Fires timers until none is armed; throws if that takes longer than `limit` ms. */
  runUntilIdle(limit = 3_600_000): void {
    const end = this.now + limit;
    for (let next = this.nextDue(); next !== undefined; next = this.nextDue()) {
      if (next[1].due > end) throw new Error(`timers still armed after ${limit} ms`);
      this.advanceTo(next[1].due);
    }
  }

  /** Armed timers and when they are due, earliest first. */
  armedTimers(): { timer: T; due: number }[] {
    return [...this.armed]
      .sort((a, b) => a[1].due - b[1].due || a[1].seq - b[1].seq)
      .map(([timer, { due }]) => ({ timer, due }));
  }

  /** Every effect with the time it was produced. */
  effects(): { at: number; effect: Effect<T> }[] {
    return this.steps.flatMap((s) => s.effects.map((effect) => ({ at: s.at, effect })));
  }

  /** Times at which effects of this type happened (optionally only those `where` accepts). */
  times(type: EffectType, where: (e: Effect<T>) => boolean = () => true): number[] {
    return this.effects()
      .filter(({ effect }) => effect.type === type && where(effect))
      .map(({ at }) => at);
  }

  /** Human-readable timeline, for assertion messages and debugging. */
  trace(): string {
    return this.steps
      .map((s) => {
        const what = s.effects.map((e) => JSON.stringify(e)).join(' ');
        return `${s.at} ${JSON.stringify(s.input)} ${s.from}→${s.to} ${what}`;
      })
      .join('\n');
  }

  /** Applies one effect; false when it was a transmission and the transport is down. */
  private apply(effect: Effect<T>): boolean {
    switch (effect.type) {
      case 'start-timer':
        if (this.armed.has(effect.timer)) throw new Error(`Timer ${effect.timer} started twice`);
        if (!(Number.isFinite(effect.ms) && effect.ms >= 0))
          throw new Error(`bad duration ${effect.ms}`);
        this.armed.set(effect.timer, { due: this.now + effect.ms, seq: this.seq++ });
        return true;
      case 'cancel-timer':
        if (!this.armed.delete(effect.timer)) throw new Error(`Timer ${effect.timer} not armed`);
        return true;
      case 'terminated':
        if (this.armed.size > 0) {
          throw new Error(`terminated with timers armed: ${[...this.armed.keys()].join(', ')}`);
        }
        return true;
      case 'transmit-request':
      case 'transmit-ack':
      case 'transmit-response':
      case 'transmit-trying':
        return this.transportUp;
      case 'deliver':
      case 'deliver-request':
      case 'deliver-ack':
      case 'timeout':
      case 'transport-failure':
        return true;
    }
  }

  private nextDue(): [T, Armed] | undefined {
    let best: [T, Armed] | undefined;
    for (const entry of this.armed) {
      if (
        !best ||
        entry[1].due < best[1].due ||
        (entry[1].due === best[1].due && entry[1].seq < best[1].seq)
      ) {
        best = entry;
      }
    }
    return best;
  }
}

function isTimerInput<T extends TimerName>(input: {
  readonly type: string;
}): input is TimerInput<T> {
  return input.type === 'timer' && 'timer' in input;
}

export const ictDriver = (ctx: TransactionContext) => new TransactionDriver(inviteClient, ctx);
export const nictDriver = (ctx: TransactionContext) => new TransactionDriver(nonInviteClient, ctx);
export const istDriver = (ctx: TransactionContext) => new TransactionDriver(inviteServer, ctx);
export const nistDriver = (ctx: TransactionContext) => new TransactionDriver(nonInviteServer, ctx);

/**
 * The inputs among `inputs` that a machine does NOT ignore in `state`, where
 * ignoring means returning the very same state object and no effects. Tests
 * assert this is empty for the inputs a state must absorb.
 */
export function notIgnored<S, I>(
  step: (state: S, input: I, ctx: TransactionContext) => { state: S; effects: readonly unknown[] },
  state: S,
  inputs: readonly I[],
  ctx: TransactionContext,
): I[] {
  return inputs.filter((input) => {
    const result = step(state, input, ctx);
    return result.state !== state || result.effects.length > 0;
  });
}
