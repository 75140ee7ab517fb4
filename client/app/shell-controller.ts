/**
 * The shell's behaviour, apart from its rendering: starting the session,
 * launch parameters (prefill, auto-dial, line, kiosk), the after-sign-in
 * action, the ringer and notifications, the call history, auto-dismissal
 * of ended calls, error messages, the update offer and the outgoing line
 * choice.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { t, type MessageKey, type Params } from '../i18n/index.ts';
import type { CallView, Phone } from '../phone/types.ts';
import { AfterSignInDialer, type AfterSignInCall } from './after-sign-in.ts';
import { AutoDismiss } from './auto-dismiss.ts';
import { isRinging, placeCall } from './calls.ts';
import { errorKey } from './end-reason.ts';
import { ERROR_EVENT, attempt, type ErrorDetail } from './errors.ts';
import { lineName, partyName } from './format.ts';
import { CallHistory } from './history.ts';
import { HistoryRecorder } from './history-recorder.ts';
import { parseLaunch, withoutAuto, type Launch } from './launch.ts';
import { CallNotifier, notificationsSupported } from './notifier.ts';
import { PhoneController } from './phone-controller.ts';
import { prefs } from './prefs.ts';
import { shownParty } from './shown-number.ts';
import { Ringer } from './ringer.ts';
import type { ApplyUpdate } from './sw-update.ts';
import type { TonePlayer } from './tones.ts';

export interface ShellHost extends ReactiveControllerHost, HTMLElement {
  readonly phone?: Phone | undefined;
  /** The query string to read launch parameters from. */
  readonly search: string;
  readonly tones: TonePlayer;
  /** How long an ended call stays before it is dismissed. */
  readonly dismissAfterMs: number;
}

export interface Message {
  readonly id: number;
  readonly key: MessageKey;
  readonly params?: Params | undefined;
}

const MESSAGE_MS = 8000;

export class ShellController implements ReactiveController {
  readonly history = new CallHistory();
  launch: Launch = { badDial: false, auto: false, kiosk: false };
  /** Until resume() has answered. */
  starting = true;
  /** Why resuming failed (shown on the sign-in form). */
  startError: MessageKey | undefined;
  messages: readonly Message[] = [];
  /** Set when a new version waits; calling it reloads into it. */
  applyUpdate: ApplyUpdate | undefined;
  /** The chosen line for outgoing calls (may be one the user no longer has). */
  line: string | undefined;
  /** A number for the dial view to start with, until it has taken it. */
  prefill: string | undefined;

  private readonly phoneCtl: PhoneController;
  private readonly afterSignIn: AfterSignInDialer;
  private readonly recorder = new HistoryRecorder(this.history);
  private readonly ringer: Ringer;
  private readonly notifier = new CallNotifier((call) => this.describe(call));
  private readonly dismiss: AutoDismiss;
  private bootedPhone: Phone | undefined;
  private autoDialled = false;
  private nextMessage = 1;

  constructor(private readonly host: ShellHost) {
    host.addController(this);
    this.afterSignIn = new AfterSignInDialer(host);
    this.phoneCtl = new PhoneController(host, (phone) => this.onPhone(phone));
    this.ringer = new Ringer({
      play: (kind, sink) => this.host.tones.play(kind, sink),
      stop: () => this.host.tones.stop(),
      unlock: () => this.host.tones.unlock(),
    });
    this.dismiss = new AutoDismiss((call) =>
      call.end?.reason === 'local-hangup'
        ? Math.min(3000, host.dismissAfterMs)
        : host.dismissAfterMs,
    );
    host.addEventListener(ERROR_EVENT, (e) => this.say(e.detail));
  }

  hostConnected(): void {
    this.launch = parseLaunch(this.host.search);
    this.line = this.launch.line ?? prefs.line;
    this.prefill = this.launch.auto || this.launch.kiosk ? undefined : this.launch.dial;
    if (this.launch.badDial) this.say({ key: 'error.linkNumber' });
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('online', this.onOnline);
    this.host.addEventListener('pointerdown', this.unlockAudio);
    this.host.addEventListener('keydown', this.unlockAudio);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('online', this.onOnline);
    this.host.removeEventListener('pointerdown', this.unlockAudio);
    this.host.removeEventListener('keydown', this.unlockAudio);
    this.ringer.stop();
    this.notifier.closeAll();
    this.dismiss.clear();
  }

  get kiosk(): boolean {
    return this.launch.kiosk;
  }

  /** Whether to offer notifications: once, not in kiosk mode, when signed in. */
  get offerNotifications(): boolean {
    return (
      !this.kiosk &&
      notificationsSupported() &&
      Notification.permission === 'default' &&
      !prefs.notifyAsked &&
      this.host.phone?.connection === 'connected'
    );
  }

  chooseLine(id: string): void {
    this.line = id;
    prefs.line = id;
    this.host.requestUpdate();
  }

  async allowNotifications(ask: boolean): Promise<void> {
    prefs.notifyAsked = true;
    this.host.requestUpdate();
    if (ask) await Notification.requestPermission();
    this.host.requestUpdate();
  }

  /** A new version waits: offered in a banner; a kiosk takes it by itself between calls. */
  offerUpdate(apply: ApplyUpdate): void {
    this.applyUpdate = apply;
    this.host.requestUpdate();
    const phone = this.host.phone;
    if (phone) this.kioskUpdate(phone);
  }

  private kioskUpdate(phone: Phone): void {
    if (!this.kiosk || !this.applyUpdate || phone.calls.length > 0) return;
    const apply = this.applyUpdate;
    this.applyUpdate = undefined;
    apply();
  }

  /**
   * The user signed in with the sign-in form: the session's after-sign-in
   * action is dialled once connected. True when there is one.
   */
  signedInWithForm(): boolean {
    const phone = this.host.phone;
    return phone !== undefined && this.afterSignIn.signedIn(phone);
  }

  /** The call the after-sign-in action placed, for the call view. */
  get afterSignInCall(): AfterSignInCall | undefined {
    return this.afterSignIn.call;
  }

  /** Calls a number from the journal, on the line that call was on when the user still has it. */
  callBack(number: string, line?: string): void {
    const phone = this.host.phone;
    if (!phone) return;
    const onLine = phone.lines.some((l) => l.id === line) ? line : this.line;
    void attempt(this.host, () => placeCall(phone, number, onLine));
  }

  say(detail: ErrorDetail): void {
    const message: Message = { id: this.nextMessage++, key: detail.key, params: detail.params };
    this.messages = [...this.messages, message].slice(-3);
    this.host.requestUpdate();
    setTimeout(() => this.unsay(message.id), MESSAGE_MS);
  }

  unsay(id: number): void {
    this.messages = this.messages.filter((m) => m.id !== id);
    this.host.requestUpdate();
  }

  private onPhone(phone: Phone): void {
    if (phone !== this.bootedPhone) {
      this.bootedPhone = phone;
      void this.start(phone);
    }
    this.recorder.update(phone);
    this.ringer.update(phone);
    this.notifier.update(phone.calls);
    this.dismiss.update(phone);
    this.afterSignIn.update(phone);
    if (phone.connection === 'connected') this.whenConnected(phone);
    this.kioskUpdate(phone);
  }

  /**
   * Opened without network (from the service worker's cache): the session
   * could not be asked for. Back online, ask again instead of leaving a
   * signed-in user on the sign-in form.
   */
  private readonly onOnline = (): void => {
    const phone = this.bootedPhone;
    if (phone?.connection === 'signed-out' && this.startError === 'error.network') {
      void this.start(phone);
    }
  };

  private async start(phone: Phone): Promise<void> {
    this.starting = true;
    this.startError = undefined;
    try {
      await phone.resume();
    } catch (err) {
      this.startError = errorKey(err);
    }
    this.starting = false;
    this.host.requestUpdate();
  }

  private whenConnected(phone: Phone): void {
    const { auto, dial, kiosk } = this.launch;
    if (auto && dial && !kiosk && !this.autoDialled) {
      this.autoDialled = true;
      void attempt(this.host, () => placeCall(phone, dial, this.line));
      // Reloading the page must not call again.
      if (this.host.search === location.search) {
        history.replaceState(history.state, '', withoutAuto(location.href));
      }
    }
  }

  private describe(call: CallView): { title: string; body: string } {
    const lines = this.host.phone?.lines ?? [];
    const line = lineName(lines, call.line);
    return {
      title: t('notify.incoming', { caller: partyName(shownParty(call.remote, lines, call.line)) }),
      body: line ? t('ringing.line', { line }) : '',
    };
  }

  private readonly onVisibility = (): void => {
    const phone = this.host.phone;
    if (phone) this.notifier.update(phone.calls);
  };

  private readonly unlockAudio = (): void => {
    this.host.tones.unlock();
  };

  /** The first ringing call, for the full-screen view. */
  get ringing(): CallView | undefined {
    return this.host.phone?.calls.find(isRinging);
  }
}
