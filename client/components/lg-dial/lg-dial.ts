import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { t, type MessageKey } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { Phone } from '../../phone/types.ts';
import { placeCall } from '../../app/calls.ts';
import { attempt } from '../../app/errors.ts';
import type { CallHistory } from '../../app/history.ts';
import { cleanNumber } from '../../app/number.ts';
import { PhoneController, SubscriptionController } from '../../app/phone-controller.ts';
import { shared } from '../../styles/shared.ts';
import { icons } from '../icons.ts';
import '../lg-dialpad/lg-dialpad.ts';
import '../lg-feature-codes/lg-feature-codes.ts';
import '../lg-number-input/lg-number-input.ts';

/**
 * The dial view: number entry with history suggestions, dial pad, call and
 * redial, and the chosen line's feature codes.
 */
@customElement('lg-dial')
export class LgDial extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
        align-content: start;
        width: 100%;
        max-width: 28rem;
        margin: 0 auto;
      }
      .actions {
        display: flex;
        gap: 0.75rem;
        justify-content: center;
        align-items: center;
      }
      .call {
        min-width: 10rem;
        min-height: 3.5rem;
        font-size: 1.2rem;
        border-radius: 999px;
      }
      .redial {
        border-radius: 999px;
      }
      /* Narrow screens: the redial button shows its icon; its label stays for screen readers. */
      @media (max-width: 24rem) {
        .redial span {
          display: none;
        }
      }
      .error {
        text-align: center;
        margin: 0;
        min-height: 1.3rem;
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;
  @property({ attribute: false }) history?: CallHistory | undefined;
  /** The line for outgoing calls; undefined lets the gateway choose. */
  @property() line: string | undefined;
  /** A number to start with (shortcut link, call back). */
  @property() prefill: string | undefined;

  @state() private number = '';
  @state() private error: MessageKey | undefined;
  @state() private busy = false;

  private readonly phoneCtl = new PhoneController(this);
  private readonly historyCtl = new SubscriptionController(this, () => this.history);
  private readonly i18n = new LocaleController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('prefill') && this.prefill !== undefined) this.number = this.prefill;
  }

  override render() {
    const last = this.history?.lastDialled;
    return html`<lg-number-input
        .value=${this.number}
        .suggestions=${this.history?.suggest(this.number) ?? []}
        @lg-number=${(e: CustomEvent<{ value: string }>) => this.setNumber(e.detail.value)}
        @lg-submit=${() => void this.dial(this.number)}
      ></lg-number-input>
      <lg-dialpad
        @lg-key=${(e: CustomEvent<{ key: string }>) => this.press(e.detail.key)}
      ></lg-dialpad>
      <p class="error alert" role="alert">${this.error ? t(this.error) : nothing}</p>
      <div class="actions">
        ${
          last
            ? html`<button
                type="button"
                class="redial"
                aria-label=${t('dial.redialNumber', { number: last })}
                title=${t('dial.redialNumber', { number: last })}
                ?disabled=${this.busy}
                @click=${() => void this.dial(last)}
              >
                ${icons.redial}<span>${t('dial.redial')}</span>
              </button>`
            : nothing
        }
        <button
          type="button"
          class="call accept"
          ?disabled=${this.busy}
          @click=${() => void this.dial(this.number)}
        >
          ${icons.phone}<span>${t('dial.call')}</span>
        </button>
      </div>
      <lg-feature-codes
        .phone=${this.phone}
        .history=${this.history}
        .line=${this.line}
      ></lg-feature-codes>`;
  }

  override focus(): void {
    this.shadowRoot?.querySelector('lg-number-input')?.focus();
  }

  private setNumber(value: string): void {
    this.number = value;
    this.error = undefined;
  }

  private press(key: string): void {
    this.setNumber(this.number + key);
  }

  private async dial(raw: string): Promise<void> {
    const phone = this.phone;
    if (!phone || this.busy) return;
    const cleaned = cleanNumber(raw);
    if (!cleaned.ok) {
      this.error = cleaned.error === 'empty' ? 'dial.empty' : 'dial.invalid';
      return;
    }
    this.busy = true;
    this.error = undefined;
    const ok = await attempt(this, () => placeCall(phone, cleaned.number, this.line));
    this.busy = false;
    if (ok) this.number = '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-dial': LgDial;
  }
}
