import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { shared } from '../../styles/shared.ts';

export interface KeyDetail {
  readonly key: string;
}

const KEYS: readonly (readonly [string, string])[] = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
];
const LONG_PRESS_MS = 600;

/**
 * The twelve keys. Fires `lg-key` for a click, a touch, or a key typed while
 * focus is on the pad; holding 0 gives "+" (as on mobile phones).
 */
@customElement('lg-dialpad')
export class LgDialpad extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .pad {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: 0.6rem;
        max-width: 20rem;
        margin: 0 auto;
      }
      button {
        flex-direction: column;
        gap: 0;
        min-height: 3.5rem;
        padding: 0.3rem;
        font-size: 1.5rem;
        border-radius: 999px;
        background: var(--lg-surface-2);
        border-color: transparent;
        user-select: none;
      }
      button:active {
        filter: brightness(0.9);
      }
      small {
        font-size: 0.65rem;
        letter-spacing: 0.1em;
        color: var(--lg-muted);
        min-height: 0.8rem;
      }
    `,
  ];

  /** Accessible name of the pad. */
  @property() label = '';

  private readonly i18n = new LocaleController(this);
  private longPress: ReturnType<typeof setTimeout> | undefined;
  private longPressed = false;

  override render() {
    return html`<div
      class="pad"
      role="group"
      aria-label=${this.label || t('dial.keypad')}
      @keydown=${this.onKeydown}
    >
      ${KEYS.map(
        ([key, letters]) =>
          html`<button
            type="button"
            data-key=${key}
            aria-label=${key}
            @click=${() => this.onClick(key)}
            @pointerdown=${key === '0' ? this.startLongPress : undefined}
            @pointerup=${this.cancelLongPress}
            @pointerleave=${this.cancelLongPress}
          >
            <span aria-hidden="true">${key}</span><small aria-hidden="true">${letters}</small>
          </button>`,
      )}
    </div>`;
  }

  private emit(key: string): void {
    this.dispatchEvent(
      new CustomEvent<KeyDetail>('lg-key', { detail: { key }, bubbles: true, composed: true }),
    );
  }

  private onClick(key: string): void {
    if (this.longPressed) {
      this.longPressed = false;
      return;
    }
    this.emit(key);
  }

  private readonly startLongPress = (): void => {
    this.longPressed = false;
    this.longPress = setTimeout(() => {
      this.longPressed = true;
      this.emit('+');
    }, LONG_PRESS_MS);
  };

  private readonly cancelLongPress = (): void => {
    clearTimeout(this.longPress);
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[0-9*#+]$/.test(e.key)) {
      e.preventDefault();
      this.emit(e.key);
      this.shadowRoot?.querySelector<HTMLElement>(`[data-key="${e.key}"]`)?.focus();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-dialpad': LgDialpad;
  }
  interface HTMLElementEventMap {
    'lg-key': CustomEvent<KeyDetail>;
  }
}
