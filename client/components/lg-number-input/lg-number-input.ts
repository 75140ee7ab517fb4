import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { cleanNumber, cleanTyped } from '../../app/number.ts';
import type { Suggestion } from '../../app/history.ts';
import { shared } from '../../styles/shared.ts';
import { icons } from '../icons.ts';

export interface NumberDetail {
  readonly value: string;
}

/**
 * A phone-number field. Typing drops punctuation; a pasted "+49 (89)
 * 1234-56" or tel:/sip: URI becomes "+4989123456"; letters are refused with
 * a hint (never converted). Fires `lg-number` on every change and
 * `lg-submit` on Enter. Shows `suggestions` as buttons under the field.
 */
@customElement('lg-number-input')
export class LgNumberInput extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      label {
        display: block;
        font-weight: 600;
        margin-bottom: 0.3rem;
      }
      .row {
        display: flex;
        gap: 0.4rem;
      }
      input {
        flex: 1;
        min-width: 0;
        font-size: 1.5rem;
        letter-spacing: 0.03em;
      }
      .back {
        border-color: transparent;
        background: transparent;
      }
      .hint {
        min-height: 1.3rem;
        margin: 0.3rem 0 0;
      }
      ul {
        list-style: none;
        margin: 0.2rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.3rem;
      }
      ul button {
        width: 100%;
        justify-content: space-between;
        background: var(--lg-surface-2);
        border-color: transparent;
      }
    `,
  ];

  @property() value = '';
  @property() label = '';
  @property({ attribute: false }) suggestions: readonly Suggestion[] = [];

  @state() private hint = false;
  @query('input') private input?: HTMLInputElement;

  private readonly i18n = new LocaleController(this);

  override focus(): void {
    this.input?.focus();
  }

  override render() {
    const label = this.label || t('dial.number');
    return html`<label for="number">${label}</label>
      <div class="row">
        <input
          id="number"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          spellcheck="false"
          .value=${live(this.value)}
          aria-describedby="hint"
          aria-invalid=${this.hint ? 'true' : 'false'}
          @input=${this.onInput}
          @paste=${this.onPaste}
          @keydown=${this.onKeydown}
        />
        <button
          type="button"
          class="back"
          aria-label=${t('dial.delete')}
          ?hidden=${!this.value}
          @click=${this.backspace}
        >
          ${icons.backspace}
        </button>
      </div>
      <p id="hint" class="hint alert" aria-live="polite">${this.hint ? t('dial.invalid') : ''}</p>
      ${
        this.suggestions.length
          ? html`<ul aria-label=${t('dial.suggestions')}>
              ${this.suggestions.map(
                (s) =>
                  html`<li>
                    <button type="button" @click=${() => this.choose(s.number)}>
                      <span>${s.name ?? s.number}</span>
                      ${s.name ? html`<span class="muted">${s.number}</span>` : nothing}
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }`;
  }

  private set(value: string): void {
    this.value = value;
    this.dispatchEvent(
      new CustomEvent<NumberDetail>('lg-number', {
        detail: { value },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private readonly onInput = (e: InputEvent): void => {
    const input = e.target as HTMLInputElement;
    const cleaned = cleanTyped(input.value);
    if (cleaned === undefined) {
      // Letters and the like: put back what was there and say why.
      const caret = Math.max(0, (input.selectionStart ?? 0) - (e.data?.length ?? 1));
      input.value = this.value;
      input.setSelectionRange(caret, caret);
      this.hint = true;
      return;
    }
    this.hint = false;
    if (cleaned !== input.value) input.value = cleaned;
    this.set(cleaned);
  };

  private readonly onPaste = (e: ClipboardEvent): void => {
    const pasted = e.clipboardData?.getData('text') ?? '';
    e.preventDefault();
    const result = cleanNumber(pasted);
    if (!result.ok) {
      this.hint = result.error === 'invalid';
      return;
    }
    const input = this.input;
    if (!input) return;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    const next = input.value.slice(0, start) + result.number + input.value.slice(end);
    // "+" only leads: pasting "+49…" behind other digits is refused, not mangled.
    this.hint = !cleanNumber(next).ok;
    if (this.hint) return;
    input.value = next;
    input.setSelectionRange(start + result.number.length, start + result.number.length);
    this.set(next);
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    this.dispatchEvent(new CustomEvent('lg-submit', { bubbles: true, composed: true }));
  };

  private readonly backspace = (): void => {
    this.hint = false;
    this.set(this.value.slice(0, -1));
    if (!this.value) this.input?.focus();
  };

  private choose(number: string): void {
    this.hint = false;
    this.set(number);
    this.input?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-number-input': LgNumberInput;
  }
  interface HTMLElementEventMap {
    'lg-number': CustomEvent<NumberDetail>;
    'lg-submit': CustomEvent<undefined>;
  }
}
