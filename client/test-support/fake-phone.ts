/**
 * A Phone for component tests: state changes only when a test (or a view's
 * command) makes them, synchronously, with a notification to subscribers
 * after each. Commands are logged in `log`; `failNext` makes the next
 * command of a name reject with a PhoneError. Like the real phone, placing,
 * answering or swapping to a call holds the others that are up. The
 * gateway's journal is `journalStore` (fake-journal.ts); its forwarding
 * rules are `forwardingRules` and the after-sign-in setting is
 * `afterSignInSetting`, both checked like the gateway checks them. A
 * session started by signIn() or resume() has the after-sign-in action
 * the gateway would derive from that setting (`afterSignInAction`);
 * setSessionAfterSignIn() sets it directly.
 */
import {
  PhoneError,
  type AfterSignIn,
  type AfterSignInAction,
  type ApiColleagueLine,
  type ApiLine,
  type AudioDevices,
  type CallView,
  type ConnectionState,
  type EndReason,
  type ForwardRule,
  type JournalPage,
  type Party,
  type Phone,
  type PhoneErrorCode,
  type SignedInUser,
} from '../phone/types.ts';
import { checkAfterSignIn, sessionAction } from './fake-after-sign-in.ts';
import { checkForwarding } from './fake-forwarding.ts';
import { LINE_A, LINE_B } from './fake-lines.ts';
import { FakeJournal, type JournalQuery } from './fake-journal.ts';

export { COLLEAGUE, FEATURE_CODES, LINE_A, LINE_B, MUNICH } from './fake-lines.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Command =
  | 'resume'
  | 'signIn'
  | 'signOut'
  | 'setDnd'
  | 'call'
  | 'answer'
  | 'decline'
  | 'hangup'
  | 'hold'
  | 'mute'
  | 'sendDtmf'
  | 'transfer'
  | 'swap'
  | 'setDevices'
  | 'journal'
  | 'forwarding'
  | 'setForwarding'
  | 'afterSignIn'
  | 'setAfterSignIn';

export interface IncomingOptions {
  readonly number?: string;
  readonly name?: string;
  readonly anonymous?: boolean;
  readonly line?: string;
  readonly called?: string;
  readonly divertedFrom?: { readonly number: string; readonly reason?: string };
}

export class FakePhone implements Phone {
  connection: ConnectionState = 'signed-out';
  user: SignedInUser | undefined;
  lines: readonly ApiLine[] = [LINE_A, LINE_B];
  /** Colleagues' lines (a user with the pickup permission); none by default. */
  colleagues: readonly ApiColleagueLine[] = [];
  calls: readonly CallView[] = [];
  devices: AudioDevices = {};

  /** What resume() answers: true continues as `resumeUser`. */
  resumeResult = false;
  resumeUser: SignedInUser = { username: 'alice', displayName: 'Alice' };
  /** The one username/password signIn accepts. */
  credentials = { username: 'alice', password: 'secret', displayName: 'Alice' };
  /** Calls and their arguments, e.g. ['call', '123', {line: 'hfo/201'}]. */
  readonly log: (readonly [Command, ...unknown[]])[] = [];
  /** Remote stream per call, for tests that need one. */
  readonly streams = new Map<string, MediaStream>();
  /** What journal() answers from; add entries with `journalStore.add(…)`. */
  readonly journalStore = new FakeJournal();
  /** The gateway's forwarding rules of the user (what forwarding() answers). */
  forwardingRules: readonly ForwardRule[] = [];
  /** The user's after-sign-in setting at the gateway (what afterSignIn() answers). */
  afterSignInSetting: AfterSignIn = { dial: null };
  /** The session's after-sign-in action (Session.afterSignIn). */
  afterSignInAction: AfterSignInAction | undefined;

  private readonly listeners = new Set<() => void>();
  private readonly failures = new Map<Command, PhoneErrorCode>();
  private nextId = 1;

  // ---- test helpers ----

  /** Makes the next `command` reject with PhoneError(code). */
  failNext(command: Command, code: PhoneErrorCode): void {
    this.failures.set(command, code);
  }

  /** The logged calls of one command. */
  commands(name: Command): unknown[][] {
    return this.log.filter((e) => e[0] === name).map((e) => e.slice(1));
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    this.emit();
  }

  setLines(lines: readonly ApiLine[]): void {
    this.lines = lines;
    this.emit();
  }

  setColleagues(colleagues: readonly ApiColleagueLine[]): void {
    this.colleagues = colleagues;
    this.emit();
  }

  updateColleague(id: string, patch: Partial<Omit<ApiColleagueLine, 'id'>>): void {
    this.colleagues = this.colleagues.map((c) => (c.id === id ? { ...c, ...patch } : c));
    this.emit();
  }

  /** Sets the session's after-sign-in action (as if the gateway had sent it in the session). */
  setSessionAfterSignIn(action: AfterSignInAction | undefined): void {
    this.afterSignInAction = action;
    this.emit();
  }

  updateLine(id: string, patch: Partial<Omit<ApiLine, 'id'>>): void {
    this.lines = this.lines.map((l) => (l.id === id ? { ...l, ...patch } : l));
    this.emit();
  }

  /** A new incoming call, ringing; returns its id. */
  simulateIncoming(opts: IncomingOptions = {}): string {
    const id = `in-${this.nextId++}`;
    const anonymous = opts.anonymous ?? false;
    const remote: Party = {
      number: anonymous ? '' : (opts.number ?? '08912345'),
      name: anonymous ? undefined : opts.name,
      anonymous,
    };
    this.put({
      id,
      direction: 'incoming',
      state: 'ringing',
      remote,
      line: opts.line ?? LINE_A.id,
      called: opts.called ?? LINE_A.number,
      divertedFrom: opts.divertedFrom,
      startedAt: this.tick(),
      muted: false,
      held: false,
      remoteHeld: false,
    });
    return id;
  }

  /** The far end of an outgoing call rings. */
  remoteProgress(id: string): void {
    this.patch(id, { state: 'progress' });
  }

  /** The far end answers an outgoing call. */
  remoteAnswer(id: string): void {
    this.patch(id, { state: 'active', answeredAt: this.tick() });
  }

  /** The call ends from the far side (or the network) with `reason`. */
  remoteEnd(id: string, reason: EndReason, status?: number): void {
    this.end(id, reason, status);
  }

  remoteHold(id: string, on: boolean): void {
    this.patch(id, { remoteHeld: on });
  }

  callById(id: string): CallView | undefined {
    return this.calls.find((c) => c.id === id);
  }

  // ---- Phone ----

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async resume(): Promise<boolean> {
    await this.command('resume');
    if (!this.resumeResult) return false;
    this.user = this.resumeUser;
    this.afterSignInAction = this.sessionAfterSignIn();
    this.connection = 'connected';
    this.emit();
    return true;
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.command('signIn', username, '(password)');
    const c = this.credentials;
    if (username !== c.username || password !== c.password) {
      throw new PhoneError('credentials', 'wrong username or password');
    }
    this.user = { username, displayName: c.displayName };
    this.afterSignInAction = this.sessionAfterSignIn();
    this.connection = 'connected';
    this.emit();
  }

  async signOut(): Promise<void> {
    await this.command('signOut');
    for (const c of this.calls) if (c.state !== 'ended') this.end(c.id, 'local-hangup');
    this.calls = [];
    this.colleagues = [];
    this.user = undefined;
    this.afterSignInAction = undefined;
    this.connection = 'signed-out';
    this.emit();
  }

  async call(number: string, opts?: { line?: string }): Promise<string> {
    await this.command('call', number, opts);
    if (this.connection !== 'connected') throw new PhoneError('not-connected', 'not connected');
    this.holdOthers(undefined);
    const id = `out-${this.nextId++}`;
    this.put({
      id,
      direction: 'outgoing',
      state: 'dialing',
      remote: { number, anonymous: false },
      line: opts?.line ?? this.lines[0]?.id,
      startedAt: this.tick(),
      muted: false,
      held: false,
      remoteHeld: false,
    });
    return id;
  }

  async answer(id: string): Promise<void> {
    await this.command('answer', id);
    this.need(id);
    this.holdOthers(id);
    this.patch(id, { state: 'active', answeredAt: this.tick() });
  }

  async decline(id: string, status?: 486 | 603): Promise<void> {
    await this.command('decline', id, status);
    this.end(this.need(id).id, 'declined', status ?? 486);
  }

  async hangup(id: string): Promise<void> {
    await this.command('hangup', id);
    const c = this.need(id);
    this.end(id, c.state === 'active' ? 'local-hangup' : 'cancelled');
  }

  async hold(id: string, on: boolean): Promise<void> {
    await this.command('hold', id, on);
    this.need(id);
    this.patch(id, { held: on });
  }

  mute(id: string, on: boolean): void {
    this.syncCommand('mute', id, on);
    this.need(id);
    this.patch(id, { muted: on });
  }

  sendDtmf(id: string, tones: string): void {
    this.syncCommand('sendDtmf', id, tones);
    this.need(id);
  }

  async transfer(id: string, number: string): Promise<void> {
    await this.command('transfer', id, number);
    this.end(this.need(id).id, 'local-hangup');
  }

  async swap(id: string): Promise<void> {
    await this.command('swap', id);
    this.need(id);
    this.calls = this.calls.map((c) => (c.state !== 'active' ? c : { ...c, held: c.id !== id }));
    this.emit();
  }

  dismiss(id: string): void {
    this.calls = this.calls.filter((c) => c.id !== id || c.state !== 'ended');
    this.emit();
  }

  async journal(query?: JournalQuery): Promise<JournalPage> {
    await this.command('journal', query);
    return this.journalStore.query(query);
  }

  async setDnd(lineId: string, on: boolean): Promise<void> {
    await this.command('setDnd', { lineId, on });
    this.lines = this.lines.map((l) => (l.id === lineId ? { ...l, dnd: on } : l));
    this.emit();
  }

  async forwarding(): Promise<readonly ForwardRule[]> {
    await this.command('forwarding');
    this.needSession();
    return this.forwardingRules;
  }

  async setForwarding(rules: readonly ForwardRule[]): Promise<readonly ForwardRule[]> {
    await this.command('setForwarding', rules);
    this.needSession();
    this.forwardingRules = checkForwarding(
      rules,
      this.lines.map((l) => l.id),
    );
    return this.forwardingRules;
  }

  async afterSignIn(): Promise<AfterSignIn> {
    await this.command('afterSignIn');
    this.needSession();
    return this.afterSignInSetting;
  }

  async setAfterSignIn(action: AfterSignIn): Promise<AfterSignIn> {
    await this.command('setAfterSignIn', action);
    this.needSession();
    this.afterSignInSetting = checkAfterSignIn(
      action,
      this.lines.map((l) => l.id),
    );
    return this.afterSignInSetting;
  }

  remoteStream(id: string): MediaStream | undefined {
    return this.streams.get(id);
  }

  async setDevices(devices: AudioDevices): Promise<void> {
    await this.command('setDevices', devices);
    this.devices = devices;
    this.emit();
  }

  // ---- internals ----

  private tick(): number {
    return Date.now();
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }

  private takeFailure(name: Command): PhoneError | undefined {
    const code = this.failures.get(name);
    if (code === undefined) return undefined;
    this.failures.delete(name);
    return new PhoneError(code, `${name} failed (fake)`);
  }

  private async command(name: Command, ...args: unknown[]): Promise<void> {
    this.log.push([name, ...args]);
    await Promise.resolve();
    const failure = this.takeFailure(name);
    if (failure) throw failure;
  }

  private syncCommand(name: Command, ...args: unknown[]): void {
    this.log.push([name, ...args]);
    const failure = this.takeFailure(name);
    if (failure) throw failure;
  }

  /** Like the real phone: placing or answering a call holds the others that are up. */
  private holdOthers(except: string | undefined): void {
    this.calls = this.calls.map((c) =>
      c.id !== except && c.state === 'active' && !c.held ? { ...c, held: true } : c,
    );
  }

  private sessionAfterSignIn(): AfterSignInAction | undefined {
    return sessionAction(
      this.afterSignInSetting,
      this.lines.map((l) => l.id),
    );
  }

  private needSession(): void {
    if (this.connection === 'signed-out') throw new PhoneError('not-connected', 'not signed in');
  }

  private need(id: string): CallView {
    const c = this.calls.find((x) => x.id === id && x.state !== 'ended');
    if (!c) throw new PhoneError('no-such-call', `no call ${id}`);
    return c;
  }

  private put(call: CallView): void {
    this.calls = [...this.calls, call];
    this.emit();
  }

  private patch(id: string, patch: Partial<Mutable<CallView>>): void {
    this.calls = this.calls.map((c) => (c.id === id ? { ...c, ...patch } : c));
    this.emit();
  }

  private end(id: string, reason: EndReason, status?: number): void {
    this.patch(id, {
      state: 'ended',
      endedAt: this.tick(),
      end: status === undefined ? { reason } : { reason, status },
    });
  }
}
