import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { CallView, Phone } from '../../phone/types.ts';
import { answerCall, isLive, isRinging } from '../../app/calls.ts';
import { attempt } from '../../app/errors.ts';
import { lineName, partyDetail, partyName } from '../../app/format.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { shownParty } from '../../app/shown-number.ts';
import { shared } from '../../styles/shared.ts';
import { icons } from '../icons.ts';

/** SIP statuses a user may decline with: 486 Busy Here, 603 Decline. */
export type DeclineStatus = 486 | 603;

/**
 * The full-screen ringing view for the first incoming call: who calls (the
 * number as shown at the line's location), on which line, and — after a
 * forwarding — whom they called first. Answer
 * holds any call in progress. The decline buttons are `declineOptions`
 * (empty hides declining, as a line group's policy may demand).
 */
@customElement('lg-ringing')
export class LgRinging extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        position: fixed;
        inset: 0;
        z-index: 10;
        display: grid;
        place-items: center;
        padding: max(1rem, env(safe-area-inset-top)) 1rem max(1rem, env(safe-area-inset-bottom));
        background: var(--lg-bg);
        overflow: auto;
      }
      .box {
        display: grid;
        gap: 0.75rem;
        text-align: center;
        width: min(100%, 28rem);
      }
      .title {
        font-size: 1rem;
        text-transform: uppercase;
        letter-spacing: 0.08em;
        color: var(--lg-muted);
        margin: 0;
      }
      h2 {
        font-size: 2.2rem;
        margin: 0;
        overflow-wrap: anywhere;
      }
      p {
        margin: 0;
      }
      .number {
        font-size: 1.3rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        justify-content: center;
        margin-top: 1.5rem;
      }
      .actions button {
        flex: 1 1 8rem;
        min-height: 3.75rem;
        font-size: 1.15rem;
        border-radius: 999px;
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;
  @property({ attribute: false }) declineOptions: readonly DeclineStatus[] = [486, 603];

  private readonly phoneCtl = new PhoneController(this);
  private readonly i18n = new LocaleController(this);
  private shownId: string | undefined;

  private get call(): CallView | undefined {
    return this.phone?.calls.find(isRinging);
  }

  override render() {
    const call = this.call;
    if (!call) return nothing;
    const lines = this.phone?.lines ?? [];
    const busy = this.phone?.calls.some(isLive) ?? false;
    const more = (this.phone?.calls.filter(isRinging).length ?? 0) > 1;
    const caller = shownParty(call.remote, lines, call.line);
    const detail = partyDetail(caller);
    const div = call.divertedFrom;
    return html`<div
      class="box"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="title caller"
      aria-describedby="details"
    >
      <p class="title" id="title">${t('ringing.title')}</p>
      <h2 id="caller">${partyName(caller)}</h2>
      <div id="details">
        ${detail ? html`<p class="number">${detail}</p>` : nothing}
        ${
          call.line
            ? html`<p>${t('ringing.line', { line: lineName(lines, call.line) ?? '' })}</p>`
            : nothing
        }
        ${
          call.called && !lines.some((l) => l.number === call.called)
            ? html`<p class="muted">${t('ringing.called', { number: call.called })}</p>`
            : nothing
        }
        ${
          div
            ? html`<p>
                ${
                  div.reason
                    ? t('ringing.divertedReason', { number: div.number, reason: div.reason })
                    : t('ringing.diverted', { number: div.number })
                }
              </p>`
            : nothing
        }
        ${more ? html`<p class="muted">${t('ringing.more')}</p>` : nothing}
      </div>
      <div class="actions">
        ${this.declineOptions.map((status) => this.renderDecline(call, status))}
        <button id="answer" class="accept" @click=${() => this.answer(call)}>
          ${icons.phone}<span>${busy ? t('ringing.answerHold') : t('ringing.answer')}</span>
        </button>
      </div>
    </div>`;
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const id = this.call?.id;
    if (id === this.shownId) return;
    this.shownId = id;
    this.shadowRoot?.querySelector<HTMLElement>('#answer')?.focus();
  }

  private renderDecline(call: CallView, status: DeclineStatus) {
    // With one option it is just "Decline"; with both, "Busy" names 486.
    const label =
      status === 486 && this.declineOptions.length > 1 ? t('ringing.busy') : t('ringing.decline');
    return html`<button
      class="danger"
      data-status=${status}
      @click=${() => this.decline(call, status)}
    >
      ${icons.hangup}<span>${label}</span>
    </button>`;
  }

  private answer(call: CallView): void {
    const phone = this.phone;
    if (phone) void attempt(this, () => answerCall(phone, call.id));
  }

  private decline(call: CallView, status: DeclineStatus): void {
    const phone = this.phone;
    if (phone) void attempt(this, () => phone.decline(call.id, status));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-ringing': LgRinging;
  }
}
