/**
 * One SIP line at run time: the pure machine (machine.ts) driven by a real
 * (or fake) clock and real REGISTER exchanges (register-client.ts). It owns
 * the line's one timer, its Call-ID and growing CSeq (RFC 3261 §10.2.4: the
 * same Call-ID for every REGISTER of a line), and its digest state.
 *
 * REGISTERs of a line never overlap (§10.2: no new REGISTER before the
 * previous one has its final response or timed out): they go out one after
 * another, and the outcome of one the machine no longer waits for (a stop
 * came in meanwhile) is dropped.
 */
import type { Logger } from '../log.ts';
import { ClientAuthState } from '../sip/auth/client-state.ts';
import { generateCallId, generateTag } from '../sip/message/build.ts';
import type { SipStack } from '../sip/stack.ts';
import type { Clock, TimerHandle } from '../sip/transport/clock.ts';
import {
  INITIAL,
  lineStep,
  type FailureReason,
  type LineInput,
  type LineState,
} from './machine.ts';
import { numbersFromRegistration } from './numbers.ts';
import type { LinePlan } from './plan.ts';
import { contactUri, registerExchange, type ExchangeResult } from './register-client.ts';
import { describeFailure, statusState, type LineStatus } from './status.ts';

export interface LineHooks {
  /** After every state change. */
  changed(line: LineRunner, previous: LineState): void;
  /** A REGISTER exchange failed (the machine got 'failed'). */
  failed(line: LineRunner, reason: FailureReason): void;
  /** A REGISTER goes out to the line's registrar. */
  sending(line: LineRunner): void;
}

export interface LineEnv {
  readonly sip: SipStack;
  readonly clock: Clock;
  readonly random: () => number;
  readonly userAgent: string;
  /** Category 'lines.register'. */
  readonly log: Logger;
  readonly hooks: LineHooks;
  /** Why sends to this registrar fail, when known (DNS). */
  readonly transportDetail: (host: string) => string | undefined;
}

export class LineRunner {
  #plan: LinePlan;
  #state: LineState = INITIAL;
  #timer: TimerHandle | undefined;
  #auth: ClientAuthState;
  readonly #env: LineEnv;
  readonly #callId = generateCallId();
  readonly #fromTag = generateTag();
  #cseq = 0;
  #sendSeq = 0;
  #chain: Promise<void> = Promise.resolve();
  #since: number;
  #registeredAt: number | undefined;
  #numbers: readonly string[];
  #refreshAfterSend = false;
  /** Foreign contacts last warned about, so a refresh does not repeat the warning. */
  #foreignWarned = '';
  #stopped: Promise<void> | undefined;
  #resolveStopped: (() => void) | undefined;
  #disposed = false;

  constructor(plan: LinePlan, env: LineEnv) {
    this.#plan = plan;
    this.#env = env;
    this.#auth = authFor(plan);
    this.#since = env.clock.now();
    this.#numbers = plan.numbers === 'auto' ? [] : plan.numbers;
  }

  get plan(): LinePlan {
    return this.#plan;
  }

  get state(): LineState {
    return this.#state;
  }

  get numbers(): readonly string[] {
    return this.#numbers;
  }

  start(): void {
    this.#feed({ type: 'start' });
  }

  /**
   * A changed config for the same line at the same registrar: numbers and
   * timing apply as they are (the timing from the next transition on); new
   * credentials from the next REGISTER — refreshNow() sends it.
   */
  update(plan: LinePlan): void {
    if (plan.password !== this.#plan.password || plan.authUser !== this.#plan.authUser) {
      this.#auth = authFor(plan);
    }
    this.#plan = plan;
    if (plan.numbers !== 'auto') this.#numbers = plan.numbers;
  }

  /** Registers again at once (new credentials), as if the refresh or retry were due. */
  refreshNow(): void {
    const s = this.#state;
    const now = this.#env.clock.now();
    switch (s.kind) {
      case 'registered':
        this.#feed({ type: 'timer' }, Math.max(now, s.refreshAt));
        return;
      case 'retrying':
        this.#feed({ type: 'timer' }, Math.max(now, s.at));
        return;
      case 'registering':
        this.#refreshAfterSend = true;
        return;
      case 'unregistered':
      case 'unregistering':
      case 'stopped':
        return;
    }
  }

  /** Un-REGISTERs if the PBX may hold a binding (§10.2.2); resolves once stopped. */
  stop(): Promise<void> {
    this.#stopped ??= new Promise((resolve) => (this.#resolveStopped = resolve));
    this.#feed({ type: 'stop' });
    return this.#stopped;
  }

  /** Drops the timer and any answer still to come (after a stop that took too long). */
  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
    this.#resolveStopped?.();
  }

  status(toWall: (mono: number) => string): LineStatus {
    const s = this.#state;
    const base = {
      id: this.#plan.id,
      username: this.#plan.username,
      state: statusState(s),
      since: toWall(this.#since),
      numbers: this.#numbers,
      foreignContacts: s.kind === 'registered' ? s.foreignContacts : [],
      ...(this.#registeredAt === undefined ? {} : { registeredAt: toWall(this.#registeredAt) }),
    };
    switch (s.kind) {
      case 'registered':
        return { ...base, until: toWall(s.until), refreshAt: toWall(s.refreshAt) };
      case 'retrying':
        return {
          ...base,
          retryAt: toWall(s.at),
          reason: describeFailure(s.reason),
          failures: s.failures,
        };
      case 'unregistered':
      case 'registering':
      case 'unregistering':
      case 'stopped':
        return base;
    }
  }

  #feed(input: LineInput, now = this.#env.clock.now()): void {
    if (this.#disposed) return;
    const previous = this.#state;
    const step = lineStep(previous, input, {
      timing: this.#plan.timing,
      now,
      random: this.#env.random,
    });
    this.#state = step.state;
    if (input.type === 'failed' && previous.kind === 'registering') {
      this.#env.hooks.failed(this, input.reason);
    }
    if (step.state !== previous) {
      // Not `now`: refreshNow() feeds a timer "as if due", which may lie ahead.
      this.#since = this.#env.clock.now();
      if (step.state.kind === 'registered') this.#registeredAt = this.#since;
      this.#logChange(previous);
      this.#env.hooks.changed(this, previous);
    }
    for (const effect of step.effects) {
      switch (effect.type) {
        case 'send-register':
          this.#send(effect.expires);
          break;
        case 'set-timer':
          this.#arm(effect.at, now);
          break;
        case 'clear-timer':
          this.#clearTimer();
          break;
        case 'stopped':
          this.#resolveStopped?.();
          break;
      }
    }
  }

  #arm(at: number, now: number): void {
    this.#clearTimer();
    const clock = this.#env.clock;
    this.#timer = clock.setTimer(Math.max(0, at - now), () => {
      this.#timer = undefined;
      // A timer may fire a hair early by the clock's reading: it fires for `at`.
      this.#feed({ type: 'timer' }, Math.max(clock.now(), at));
    });
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#env.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #send(expires: number): void {
    const id = ++this.#sendSeq;
    this.#chain = this.#chain.then(() => this.#exchange(id, expires));
  }

  async #exchange(id: number, expires: number): Promise<void> {
    if (!this.#current(id)) return; // superseded before it went out
    const plan = this.#plan;
    this.#cseq += 1;
    this.#env.hooks.sending(this);
    let result: ExchangeResult;
    try {
      result = await registerExchange({
        sip: this.#env.sip,
        auth: this.#auth,
        authUser: plan.authUser,
        transportDetail: () => this.#env.transportDetail(plan.registrar.host),
        spec: {
          username: plan.username,
          displayName: plan.displayName,
          registrar: plan.registrar,
          contact: contactUri(plan.username, this.#env.sip.udpSentBy),
          expires,
          callId: this.#callId,
          cseq: this.#cseq,
          fromTag: this.#fromTag,
          userAgent: this.#env.userAgent,
        },
      });
    } catch (err) {
      this.#env.log.error({ err, line: plan.id }, 'REGISTER could not be sent');
      const detail = err instanceof Error ? err.message : String(err);
      result = {
        input: { type: 'failed', reason: { kind: 'transport', detail } },
        response: undefined,
        cseq: this.#cseq,
      };
    }
    this.#cseq = Math.max(this.#cseq, result.cseq);
    if (!this.#current(id)) return; // the machine moved on meanwhile
    if (
      result.input.type === 'registered' &&
      result.response !== undefined &&
      plan.numbers === 'auto'
    ) {
      this.#numbers = numbersFromRegistration(result.response, plan.username);
    }
    this.#feed(result.input);
    if (this.#refreshAfterSend) {
      this.#refreshAfterSend = false;
      this.refreshNow();
    }
  }

  /** Whether send `id` is still the one the machine waits for. */
  #current(id: number): boolean {
    return id === this.#sendSeq && !this.#disposed;
  }

  #logChange(previous: LineState): void {
    const s = this.#state;
    const log = this.#env.log;
    const fields = { line: this.#plan.id, from: statusState(previous), to: statusState(s) };
    switch (s.kind) {
      case 'registered': {
        const expires = Math.round((s.until - this.#since) / 1000);
        const foreign = s.foreignContacts.join(', ');
        const warn = foreign !== '' && foreign !== this.#foreignWarned;
        this.#foreignWarned = foreign;
        if (warn) {
          log.warn(
            { ...fields, expires, foreignContacts: s.foreignContacts },
            'registered, but the PBX lists other contacts for this account: it must be used by Linegate alone (seed 004)',
          );
        } else if (previous.kind === 'registering' && previous.refresh) {
          log.debug({ ...fields, expires }, 'registration refreshed');
        } else {
          log.info({ ...fields, expires }, 'registered');
        }
        return;
      }
      case 'retrying':
        log.warn(
          {
            ...fields,
            reason: describeFailure(s.reason),
            failures: s.failures,
            retryInSeconds: Math.round((s.at - this.#since) / 1000),
          },
          'registration failed',
        );
        return;
      case 'registering':
        if (s.refresh) log.debug(fields, 'refreshing registration');
        else log.info({ ...fields, expires: s.expires }, 'registering');
        return;
      case 'unregistering':
        log.info(fields, 'un-registering');
        return;
      case 'unregistered':
      case 'stopped':
        log.info(fields, s.kind);
        return;
    }
  }
}

function authFor(plan: LinePlan): ClientAuthState {
  const credentials = { username: plan.authUser, password: plan.password };
  return new ClientAuthState({ credentials: () => credentials });
}
