/**
 * "After sign-in" (seed 000, like ProCall's action "after sign-in at the
 * server"): after the user signed in with the sign-in form — not when a
 * page resumes its session or reloads — the session's action
 * (Phone.afterSignInAction) is dialled once, as soon as the phone is
 * connected, on its line, the way a feature code is dialled. The call it
 * placed is remembered so that the call view can name it.
 */
import { t } from '../i18n/index.ts';
import type { AfterSignInAction, Phone } from '../phone/types.ts';
import { placeCall } from './calls.ts';
import { errorKey } from './end-reason.ts';
import { reportError } from './errors.ts';

/** The call the after-sign-in action placed. */
export interface AfterSignInCall {
  readonly id: string;
  readonly name: string;
}

export interface AfterSignInHost extends EventTarget {
  requestUpdate(): void;
}

export class AfterSignInDialer {
  /** Signed in with the form; dialled once connected. */
  private pending: AfterSignInAction | undefined;
  private placed: AfterSignInCall | undefined;

  /** `host` hears of the placed call (requestUpdate) and of a failure (`lg-error`). */
  constructor(private readonly host: AfterSignInHost) {}

  /** The call the action placed in this session, if any. */
  get call(): AfterSignInCall | undefined {
    return this.placed;
  }

  /**
   * The sign-in form succeeded: the session's action, if it has one, is
   * dialled now or once the phone is connected. True when there is one.
   */
  signedIn(phone: Phone): boolean {
    const action = phone.afterSignInAction;
    this.pending = action;
    this.placed = undefined;
    this.update(phone);
    return action !== undefined;
  }

  /** On every change of the phone. */
  update(phone: Phone): void {
    if (phone.connection === 'signed-out') {
      this.pending = undefined;
      this.placed = undefined;
      return;
    }
    const action = this.pending;
    if (action === undefined || phone.connection !== 'connected') return;
    this.pending = undefined;
    void this.dial(phone, action);
  }

  private async dial(phone: Phone, action: AfterSignInAction): Promise<void> {
    try {
      const id = await placeCall(phone, action.dial, action.line);
      this.placed = { id, name: action.name };
      this.host.requestUpdate();
    } catch (err) {
      reportError(this.host, {
        key: 'afterSignIn.failed',
        params: { name: action.name, reason: t(errorKey(err)) },
      });
    }
  }
}
