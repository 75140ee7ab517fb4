import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { ApiLine, Phone } from '../../phone/types.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { shared } from '../../styles/shared.ts';
import { attempt } from '../../app/errors.ts';

export interface LineDetail {
  readonly id: string;
}

/** The id of the line outgoing calls use: the chosen one if the user still has it, else the first. */
export function effectiveLine(
  lines: readonly ApiLine[],
  chosen: string | undefined,
): string | undefined {
  return lines.find((l) => l.id === chosen)?.id ?? lines[0]?.id;
}

/**
 * The user's lines with their live state, as a radio group choosing the
 * line for outgoing calls (fires `lg-line`).
 */
@customElement('lg-lines')
export class LgLines extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.4rem;
      }
      legend {
        font-weight: 600;
        padding: 0;
        margin-bottom: 0.4rem;
      }
      .line {
        display: flex;
        gap: 0.4rem;
        align-items: stretch;
      }
      .line label {
        flex: 1 1 auto;
      }
      .dnd-toggle {
        flex: none;
        min-height: var(--lg-touch);
        min-width: var(--lg-touch);
        font-size: 0.8rem;
        max-width: 6.5rem;
      }
      .dnd-toggle[aria-pressed='true'] {
        background: var(--lg-danger);
        color: #fff;
        border-color: var(--lg-danger);
      }
      .badge.dnd {
        color: var(--lg-danger);
      }
      label {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.6rem;
        min-height: var(--lg-touch);
        padding: 0.4rem 0.75rem;
        border: 1px solid var(--lg-border);
        border-radius: var(--lg-radius);
        background: var(--lg-surface);
        cursor: pointer;
      }
      label:has(input:checked) {
        border-color: var(--lg-primary);
        box-shadow: inset 0 0 0 1px var(--lg-primary);
      }
      input {
        min-height: 0;
        width: 1.2rem;
        height: 1.2rem;
        margin: 0;
        flex: none;
      }
      .name {
        flex: 1 1 auto;
        min-width: 4rem;
        overflow-wrap: anywhere;
      }
      .badges {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        justify-content: end;
        margin-left: auto;
      }
      .badge {
        font-size: 0.8rem;
        padding: 0.1rem 0.5rem;
        border-radius: 999px;
        border: 1px solid currentColor;
      }
      .ok {
        color: var(--lg-accept);
      }
      .down {
        color: var(--lg-danger);
      }
      .busy,
      .ringing {
        color: var(--lg-warn);
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;
  /** The chosen line id (may name a line the user no longer has). */
  @property() selected: string | undefined;

  private readonly phoneCtl = new PhoneController(this);
  private readonly i18n = new LocaleController(this);

  override render() {
    const lines = this.phone?.lines ?? [];
    if (!lines.length) return html`<p class="muted">${t('lines.none')}</p>`;
    const current = effectiveLine(lines, this.selected);
    return html`<fieldset>
      <legend>${t('lines.choose')}</legend>
      ${lines.map((line) => this.renderLine(line, line.id === current))}
    </fieldset>`;
  }

  private renderLine(line: ApiLine, checked: boolean) {
    return html`<div class="line">
      ${this.renderChoice(line, checked)}
      <button
        type="button"
        class="dnd-toggle"
        aria-pressed=${line.dnd ? 'true' : 'false'}
        aria-label=${t('lines.dndLabel', { line: line.label || line.number })}
        title=${t('lines.dnd')}
        @click=${() => void this.toggleDnd(line)}
      >
        ${t('lines.dnd')}
      </button>
    </div>`;
  }

  private async toggleDnd(line: ApiLine): Promise<void> {
    const phone = this.phone;
    if (phone !== undefined) await attempt(this, () => phone.setDnd(line.id, !line.dnd));
  }

  private renderChoice(line: ApiLine, checked: boolean) {
    const title = line.label && line.label !== line.number ? line.label : '';
    return html`<label>
      <input
        type="radio"
        name="line"
        .value=${line.id}
        .checked=${checked}
        @change=${() => this.choose(line.id)}
      />
      <span class="name"
        >${title ? html`<strong>${title}</strong> ` : nothing}<span>${line.number}</span></span
      >
      <span class="badges">
        ${
          line.registered
            ? html`<span class="badge ok">${t('lines.registered')}</span>`
            : html`<span class="badge down">${t('lines.unregistered')}</span>`
        }
        ${line.active > 0 ? html`<span class="badge busy">${t('lines.inUse')}</span>` : nothing}
        ${line.dnd ? html`<span class="badge dnd">${t('lines.dndOn')}</span>` : nothing}
        ${
          line.ringing > 0
            ? html`<span class="badge ringing">${t('lines.ringing')}</span>`
            : nothing
        }
      </span>
    </label>`;
  }

  private choose(id: string): void {
    this.selected = id;
    this.dispatchEvent(
      new CustomEvent<LineDetail>('lg-line', { detail: { id }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-lines': LgLines;
  }
  interface HTMLElementEventMap {
    'lg-line': CustomEvent<LineDetail>;
  }
}
