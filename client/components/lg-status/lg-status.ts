import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { ConnectionState } from '../../phone/types.ts';
import { shared } from '../../styles/shared.ts';

/** The connection to the gateway, in words and colour; announced politely. */
@customElement('lg-status')
export class LgStatus extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-flex;
      }
      .status {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-size: 0.9rem;
      }
      .dot {
        width: 0.7rem;
        height: 0.7rem;
        border-radius: 50%;
        background: var(--lg-muted);
        flex: none;
      }
      .connected .dot {
        background: var(--lg-accept);
      }
      .connecting .dot,
      .reconnecting .dot {
        background: var(--lg-warn);
        animation: pulse 1.2s ease-in-out infinite;
      }
      .offline .dot {
        background: var(--lg-danger);
      }
      @keyframes pulse {
        50% {
          opacity: 0.3;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .dot {
          animation: none !important;
        }
      }
    `,
  ];

  @property({ reflect: true }) connection: ConnectionState = 'signed-out';

  private readonly i18n = new LocaleController(this);

  override render() {
    return html`<span class="status ${this.connection}" role="status">
      <span class="dot" aria-hidden="true"></span>
      <span class="sr-only">${t('status.label')}:</span>
      <span>${t(`status.${this.connection}`)}</span>
    </span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-status': LgStatus;
  }
}
