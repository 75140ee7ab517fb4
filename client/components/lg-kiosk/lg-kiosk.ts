import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { CallView, Phone } from '../../phone/types.ts';
import { focusCall, placeCall } from '../../app/calls.ts';
import { ClockController } from '../../app/clock.ts';
import { endReasonKey, isFailure } from '../../app/end-reason.ts';
import { attempt } from '../../app/errors.ts';
import { focusIfLost } from '../../app/focus.ts';
import { formatDuration, partyName } from '../../app/format.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { shownParty } from '../../app/shown-number.ts';
import { shared } from '../../styles/shared.ts';
import { icons } from '../icons.ts';
import '../lg-status/lg-status.ts';

/**
 * Kiosk mode: one big button that calls one number, the call with a
 * hang-up button, and back to the button when it ends. No navigation.
 */
@customElement('lg-kiosk')
export class LgKiosk extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr;
        min-height: 100%;
        padding: 1rem;
        text-align: center;
      }
      header {
        display: flex;
        justify-content: center;
      }
      main {
        display: grid;
        place-items: center;
        align-content: center;
        gap: 1.25rem;
      }
      .big {
        flex-direction: column;
        width: min(80vw, 18rem);
        aspect-ratio: 1;
        border-radius: 50%;
        font-size: clamp(1.3rem, 6vw, 2rem);
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      .big svg.icon {
        width: 3rem;
        height: 3rem;
      }
      .who {
        font-size: 2rem;
        margin: 0;
        overflow-wrap: anywhere;
      }
      .timer {
        font-size: 1.5rem;
        font-variant-numeric: tabular-nums;
      }
      p {
        margin: 0;
      }
      .hangup {
        width: 6rem;
        height: 6rem;
        border-radius: 50%;
      }
      .hangup svg.icon {
        width: 2.5rem;
        height: 2.5rem;
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;
  /** The one number this kiosk calls. */
  @property() number: string | undefined;
  @property() label: string | undefined;
  @property() line: string | undefined;

  private readonly phoneCtl = new PhoneController(this);
  private readonly clock = new ClockController(this);
  private readonly i18n = new LocaleController(this);
  private busy = false;
  private hadCall = false;

  override render() {
    const call = focusCall(this.phone?.calls ?? []);
    return html`<header>
        <lg-status connection=${this.phone?.connection ?? 'signed-out'}></lg-status>
      </header>
      <main>${call ? this.renderCall(call) : this.renderButton()}</main>`;
  }

  override updated(): void {
    const inCall = (this.phone?.calls.length ?? 0) > 0;
    // After a call the hang-up or OK button is gone: keep keyboard focus in
    // the kiosk. Not on first show, where a focus ring would only distract.
    if (inCall || this.hadCall) focusIfLost(this.shadowRoot, 'main button');
    this.hadCall ||= inCall;
  }

  private get name(): string {
    return this.label ?? this.number ?? t('kiosk.defaultLabel');
  }

  private renderButton() {
    if (!this.number) return html`<p class="alert" role="alert">${t('kiosk.noNumber')}</p>`;
    const connected = this.phone?.connection === 'connected';
    return html`<button
      class="big accept"
      aria-label=${t('kiosk.call', { label: this.name })}
      ?disabled=${!connected}
      @click=${this.dial}
    >
      ${icons.phone}<span aria-hidden="true">${this.name}</span>
    </button>`;
  }

  private renderCall(call: CallView) {
    const ended = call.state === 'ended';
    const who =
      call.direction === 'outgoing'
        ? this.name
        : partyName(shownParty(call.remote, this.phone?.lines ?? [], call.line));
    const stateText =
      call.state === 'active'
        ? t('kiosk.active', { label: who })
        : call.state === 'dialing' || call.state === 'progress'
          ? t('kiosk.calling', { label: who })
          : t('call.state.ended');
    const failed = ended && call.end !== undefined && isFailure(call.end.reason);
    return html`<p class="who" role="status">${stateText}</p>
      ${
        call.answeredAt !== undefined && !ended
          ? html`<p class="timer">${formatDuration(this.clock.now - call.answeredAt)}</p>`
          : nothing
      }
      <p class=${failed ? 'alert' : ''} role="alert">
        ${ended && call.end ? t(endReasonKey(call.end.reason)) : nothing}
      </p>
      ${
        ended
          ? html`<button class="primary" id="dismiss" @click=${() => this.phone?.dismiss(call.id)}>
              ${t('call.dismiss')}
            </button>`
          : html`<button
              class="danger hangup"
              aria-label=${t('call.hangup')}
              @click=${() => this.hangup(call)}
            >
              ${icons.hangup}
            </button>`
      }`;
  }

  private readonly dial = async (): Promise<void> => {
    const phone = this.phone;
    const number = this.number;
    if (!phone || !number || this.busy) return;
    this.busy = true;
    await attempt(this, () => placeCall(phone, number, this.line));
    this.busy = false;
  };

  private hangup(call: CallView): void {
    const phone = this.phone;
    if (!phone) return;
    void attempt(this, () => phone.hangup(call.id)).then((ok) => {
      // Hanging up is the visitor's own doing: straight back to the button.
      if (ok && phone.calls.some((c) => c.id === call.id && c.state === 'ended')) {
        phone.dismiss(call.id);
      }
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-kiosk': LgKiosk;
  }
}
