/**
 * The Phone facade over JsSIP (types.ts): the session (sign in, resume,
 * sign out, a session revoked elsewhere), the connection to the gateway
 * (connection.ts, kept alive through network changes and sleep by
 * wake.ts), the event stream of lines and colleagues' lines (api.ts),
 * the settings kept by the gateway (forwarding, after-sign-in) and the
 * calls (calls.ts).
 * Views read the getters and re-render on subscribe(); every change is
 * one notification per burst (a microtask later).
 */
import type { Session } from '#shared/api.ts';
import { createSessionApi, LinesStream, type JournalQuery, type SessionApi } from './api.ts';
import { Calls } from './calls.ts';
import { SipConnection } from './connection.ts';
import { connectionStateOf } from './connection-state.ts';
import { claimInstanceId, type InstanceClaim } from './instance-id.ts';
import { canChooseOutput } from './media.ts';
import {
  PhoneError,
  type AfterSignIn,
  type AfterSignInAction,
  type ApiColleagueLine,
  type ApiLine,
  type AudioDevices,
  type CallView,
  type ConnectionState,
  type ForwardRule,
  type JournalPage,
  type Phone,
  type SignedInUser,
} from './types.ts';
import { sameSipIdentity } from './ua-config.ts';
import { watchWake, type WakeWatcher } from './wake.ts';

export const DEVICES_KEY = 'linegate.audioDevices';

/** What asking the API about our session found. */
type SessionCheck = 'gone' | 'same' | 'renewed' | 'unknown';

export interface JsSipPhoneOptions {
  readonly origin: string;
  readonly storage: Storage | undefined;
  readonly api?: SessionApi;
}

export class JsSipPhone implements Phone {
  readonly #origin: string;
  readonly #storage: Storage | undefined;
  readonly #api: SessionApi;
  readonly #listeners = new Set<() => void>();
  readonly #calls: Calls;
  #notifying = false;
  /** Bumped by every sign-in and sign-out: async work of an older one stops. */
  #epoch = 0;
  #session: Session | undefined;
  #lines: readonly ApiLine[] = [];
  #colleagues: readonly ApiColleagueLine[] = [];
  #devices: AudioDevices;
  #online = typeof navigator === 'undefined' ? true : navigator.onLine;
  #conn: SipConnection | undefined;
  #wake: WakeWatcher | undefined;
  #stream: LinesStream | undefined;
  #claim: InstanceClaim | undefined;
  #checking: Promise<SessionCheck> | undefined;

  constructor(opts: JsSipPhoneOptions) {
    this.#origin = opts.origin;
    this.#storage = opts.storage;
    this.#api = opts.api ?? createSessionApi(opts.origin);
    this.#devices = loadDevices(opts.storage);
    this.#calls = new Calls({
      sip: () => {
        const conn = this.#conn;
        if (conn === undefined) return undefined;
        const { domain, pcConfig } = conn.settings;
        return { ua: conn.ua, domain, pcConfig, registered: conn.registered };
      },
      devices: () => this.#devices,
      lineIds: () => this.#lines.map((l) => l.id),
      changed: () => this.#changed(),
    });
  }

  get connection(): ConnectionState {
    return connectionStateOf({
      signedIn: this.#session !== undefined,
      online: this.#online,
      registered: this.#conn?.registered ?? false,
      troubled: this.#conn?.troubled ?? false,
    });
  }

  get user(): SignedInUser | undefined {
    return this.#session?.user;
  }

  get lines(): readonly ApiLine[] {
    return this.#lines;
  }

  get colleagues(): readonly ApiColleagueLine[] {
    return this.#colleagues;
  }

  get calls(): readonly CallView[] {
    return this.#calls.views;
  }

  get devices(): AudioDevices {
    return this.#devices;
  }

  get afterSignInAction(): AfterSignInAction | undefined {
    return this.#session?.afterSignIn;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async resume(): Promise<boolean> {
    if (this.#session !== undefined) return true;
    const epoch = this.#epoch;
    const session = await this.#api.resume();
    if (epoch !== this.#epoch) return this.user !== undefined;
    if (session === undefined) return false;
    await this.#start(session);
    return true;
  }

  async signIn(username: string, password: string): Promise<void> {
    if (this.#session !== undefined) await this.signOut();
    const epoch = this.#epoch;
    const session = await this.#api.signIn(username, password);
    if (epoch !== this.#epoch) throw new PhoneError('failed', 'Signed out while signing in.');
    await this.#start(session);
  }

  async signOut(): Promise<void> {
    this.#teardown();
    await this.#api.signOut();
  }

  async call(number: string, opts?: { line?: string }): Promise<string> {
    return this.#calls.call(number, opts?.line);
  }

  async answer(id: string): Promise<void> {
    await this.#calls.answer(id);
  }

  async decline(id: string, status: 486 | 603 = 486): Promise<void> {
    await this.#calls.decline(id, status);
  }

  async hangup(id: string): Promise<void> {
    await this.#calls.hangup(id);
  }

  async hold(id: string, on: boolean): Promise<void> {
    await this.#calls.hold(id, on);
  }

  mute(id: string, on: boolean): void {
    this.#calls.mute(id, on);
  }

  sendDtmf(id: string, tones: string): void {
    this.#calls.sendDtmf(id, tones);
  }

  async transfer(id: string, number: string): Promise<void> {
    await this.#calls.transfer(id, number);
  }

  async swap(id: string): Promise<void> {
    await this.#calls.swap(id);
  }

  dismiss(id: string): void {
    this.#calls.dismiss(id);
  }

  journal(query?: JournalQuery): Promise<JournalPage> {
    return this.#ask(() => this.#api.journal(query));
  }

  /**
   * A request of the signed-in session: 'not-connected' when signed out
   * (before or meanwhile); a 401 makes the phone find out whether the
   * session is gone (signed out elsewhere, expired) and sign out here too.
   */
  async #ask<T>(request: () => Promise<T>): Promise<T> {
    const epoch = this.#epoch;
    if (this.#session === undefined) throw new PhoneError('not-connected', 'Not signed in.');
    let answer: T;
    try {
      answer = await request();
    } catch (err) {
      if (err instanceof PhoneError && err.code === 'not-connected') void this.#checkSession();
      throw err;
    }
    if (epoch !== this.#epoch) throw new PhoneError('not-connected', 'Signed out meanwhile.');
    return answer;
  }

  async setDnd(lineId: string, on: boolean): Promise<void> {
    if (this.#session === undefined) throw new PhoneError('not-connected', 'Not signed in.');
    await this.#api.setDnd(lineId, on);
  }

  forwarding(): Promise<readonly ForwardRule[]> {
    return this.#ask(() => this.#api.forwarding());
  }

  setForwarding(rules: readonly ForwardRule[]): Promise<readonly ForwardRule[]> {
    return this.#ask(() => this.#api.setForwarding(rules));
  }

  afterSignIn(): Promise<AfterSignIn> {
    return this.#ask(() => this.#api.afterSignIn());
  }

  setAfterSignIn(action: AfterSignIn): Promise<AfterSignIn> {
    return this.#ask(() => this.#api.setAfterSignIn(action));
  }

  remoteStream(id: string): MediaStream | undefined {
    return this.#calls.remoteStream(id);
  }

  async setDevices(devices: AudioDevices): Promise<void> {
    const next: AudioDevices = {
      input: devices.input || undefined,
      output: devices.output || undefined,
    };
    if (next.output !== undefined && !canChooseOutput()) {
      throw new PhoneError('unsupported', 'This browser cannot choose the speaker.');
    }
    const before = this.#devices;
    this.#devices = next;
    saveDevices(this.#storage, next);
    this.#changed();
    await this.#calls.devicesChanged(before, next);
  }

  // ------------------------------------------------------------ session

  async #start(session: Session): Promise<void> {
    // resume() and signIn() raced: the later session wins, one UA only.
    if (this.#session !== undefined) this.#teardown();
    const epoch = ++this.#epoch;
    const claim = this.#claim ?? (await claimInstanceId(this.#storage));
    if (epoch !== this.#epoch) {
      if (claim !== this.#claim) claim.release();
      return;
    }
    this.#claim = claim;
    this.#session = session;
    this.#lines = session.lines;
    this.#colleagues = session.colleagues ?? [];
    this.#wake = watchWake({
      online: (on) => {
        this.#online = on;
        this.#changed();
      },
      wake: () => this.#conn?.kick(this.#calls.live),
    });
    this.#online = this.#wake.online;
    this.#connect(session, claim.id);
    this.#stream = new LinesStream({
      origin: this.#origin,
      onLines: (lines) => {
        this.#lines = lines;
        this.#changed();
      },
      onColleagues: (colleagues) => {
        this.#colleagues = colleagues;
        this.#changed();
      },
      onRefused: () => void this.#checkSession(),
    });
    this.#changed();
  }

  #connect(session: Session, instanceId: string): void {
    const conn = new SipConnection(session, this.#origin, instanceId, {
      changed: () => this.#changed(),
      incoming: (s, request) => this.#calls.incoming(s, request),
      lost: () => this.#calls.lost(),
      authRejected: () => void this.#authRejected(conn),
    });
    this.#conn = conn;
    conn.start();
  }

  /** The gateway refused our REGISTER: signed out elsewhere, new credentials, or a hiccup. */
  async #authRejected(conn: SipConnection): Promise<void> {
    const outcome = await this.#checkSession();
    if (this.#conn === conn && (outcome === 'same' || outcome === 'unknown')) conn.registerLater();
  }

  /**
   * Asks the API whether our session still exists: gone → signed out here
   * too; other SIP credentials → a new UA with them (same instance id, so
   * the gateway replaces the binding).
   */
  #checkSession(): Promise<SessionCheck> {
    this.#checking ??= this.#doCheckSession().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #doCheckSession(): Promise<SessionCheck> {
    const epoch = this.#epoch;
    let fresh: Session | undefined;
    try {
      fresh = await this.#api.resume();
    } catch {
      return 'unknown';
    }
    const current = this.#session;
    if (epoch !== this.#epoch || current === undefined) return 'unknown';
    if (fresh === undefined) {
      this.#teardown();
      return 'gone';
    }
    if (sameSipIdentity(current, fresh) || this.#claim === undefined) return 'same';
    this.#session = fresh;
    this.#conn?.stop();
    this.#connect(fresh, this.#claim.id);
    this.#changed();
    return 'renewed';
  }

  /** Signed out here: ends calls, un-REGISTERs, closes the streams; the API is not asked. */
  #teardown(): void {
    this.#epoch++;
    this.#calls.clear();
    this.#conn?.stop();
    this.#conn = undefined;
    this.#stream?.close();
    this.#stream = undefined;
    this.#wake?.stop();
    this.#wake = undefined;
    this.#claim?.release();
    this.#claim = undefined;
    this.#session = undefined;
    this.#lines = [];
    this.#colleagues = [];
    this.#changed();
  }

  #changed(): void {
    if (this.#notifying) return;
    this.#notifying = true;
    queueMicrotask(() => {
      this.#notifying = false;
      for (const listener of [...this.#listeners]) {
        try {
          listener();
        } catch (err) {
          // A broken view must not stop the others from hearing of the change.
          reportError(err);
        }
      }
    });
  }
}

function loadDevices(storage: Storage | undefined): AudioDevices {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(DEVICES_KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return {};
    const { input, output } = raw as Record<string, unknown>;
    return {
      input: typeof input === 'string' && input !== '' ? input : undefined,
      output: typeof output === 'string' && output !== '' ? output : undefined,
    };
  } catch {
    return {};
  }
}

function saveDevices(storage: Storage | undefined, devices: AudioDevices): void {
  try {
    storage?.setItem(DEVICES_KEY, JSON.stringify(devices));
  } catch {
    // Not kept across reloads then; the choice still holds for this page.
  }
}
