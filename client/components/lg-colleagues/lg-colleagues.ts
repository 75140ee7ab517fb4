import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { ApiColleagueLine, Phone } from '../../phone/types.ts';
import { placeCall } from '../../app/calls.ts';
import { attempt } from '../../app/errors.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { listStyles } from '../../styles/lists.ts';
import { shared } from '../../styles/shared.ts';
import { icons } from '../icons.ts';

/** "Bob (205)", or the number alone when the line has no name of its own. */
export function colleagueName(c: ApiColleagueLine): string {
  return c.label && c.label !== c.number && c.number ? `${c.label} (${c.number})` : c.label;
}

/**
 * Colleagues' lines of the user's line groups (users with the pickup
 * permission, seed 000 "Anruf heranholen"), with their live ringing state.
 * A ringing one offers "Pick up": a call of its pickup code on the user's
 * own line of that group, which then shows like any call. Nothing at all
 * when the user has no colleagues' lines. Ringing ones are announced
 * politely.
 */
@customElement('lg-colleagues')
export class LgColleagues extends LitElement {
  static override styles = [
    shared,
    listStyles,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 1rem;
        font-weight: 600;
        margin: 0 0 0.4rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem 0.6rem;
        min-height: var(--lg-touch);
        padding: 0.4rem 0.75rem;
        border: 1px solid var(--lg-border);
        border-radius: var(--lg-radius);
        background: var(--lg-surface);
      }
      li.ringing {
        border-color: var(--lg-warn);
        box-shadow: inset 0 0 0 1px var(--lg-warn);
      }
      .name {
        flex: 1 1 6rem;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .badge {
        font-size: 0.8rem;
        padding: 0.1rem 0.5rem;
        border-radius: 999px;
        border: 1px solid currentColor;
        color: var(--lg-warn);
      }
      .pickup {
        flex: 1 0 auto;
        max-width: 100%;
        font-weight: 600;
      }
      @media (min-width: 22rem) {
        .pickup {
          flex: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;

  /** Pick-ups being placed: one tap, one call. */
  @state() private picking: ReadonlySet<string> = new Set();

  private readonly phoneCtl = new PhoneController(this);
  private readonly i18n = new LocaleController(this);

  override render() {
    const colleagues = this.phone?.colleagues ?? [];
    if (!colleagues.length) return nothing;
    const ringing = colleagues.filter((c) => c.ringing > 0);
    return html`<section aria-labelledby="colleagues-title">
      <h2 id="colleagues-title">${t('colleagues.title')}</h2>
      <ul>
        ${colleagues.map((c) => this.renderColleague(c))}
      </ul>
      <p class="sr-only" role="status" aria-live="polite">
        ${
          ringing.length
            ? t('colleagues.announce', { lines: ringing.map(colleagueName).join(', ') })
            : nothing
        }
      </p>
    </section>`;
  }

  private renderColleague(c: ApiColleagueLine) {
    const ringing = c.ringing > 0;
    const title = c.label && c.label !== c.number ? c.label : '';
    return html`<li class=${ringing ? 'ringing' : ''}>
      <span class="name"
        >${title ? html`<strong>${title}</strong> ` : nothing}<span>${c.number}</span></span
      >
      ${
        ringing
          ? html`<span class="badge">${t('colleagues.ringing')}</span>
              <button
                type="button"
                class="accept pickup"
                aria-label=${t('colleagues.pickupLabel', { line: colleagueName(c) })}
                ?disabled=${this.picking.has(c.id)}
                @click=${() => void this.pickUp(c)}
              >
                ${icons.phone}<span>${t('colleagues.pickup')}</span>
              </button>`
          : nothing
      }
    </li>`;
  }

  private async pickUp(c: ApiColleagueLine): Promise<void> {
    const phone = this.phone;
    if (phone === undefined || this.picking.has(c.id)) return;
    this.picking = new Set(this.picking).add(c.id);
    try {
      await attempt(this, () => placeCall(phone, c.pickup, c.viaLine));
    } finally {
      const rest = new Set(this.picking);
      rest.delete(c.id);
      this.picking = rest;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-colleagues': LgColleagues;
  }
}
