import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';

export type GatewayStatus =
  { kind: 'checking' } | { kind: 'online'; version: string } | { kind: 'offline'; reason: string };

/**
 * The application shell. For now it shows whether the gateway answers; the
 * softphone views (dial pad, lines, calls, journal) fill it in later.
 */
@customElement('lg-app')
export class LgApp extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      place-items: center;
      min-height: 100vh;
      padding: 1rem;
      box-sizing: border-box;
    }
    main {
      text-align: center;
      max-width: 28rem;
    }
    h1 {
      margin: 0 0 0.5rem;
      font-size: 2rem;
    }
    .status {
      font-size: 1rem;
    }
    .online {
      color: #12813a;
    }
    .offline {
      color: #b3261e;
    }
  `;

  /** Where the health check asks; a test points it elsewhere. */
  healthUrl = '/healthz';

  @state() status: GatewayStatus = { kind: 'checking' };

  override connectedCallback(): void {
    super.connectedCallback();
    void this.check();
  }

  async check(): Promise<void> {
    try {
      const res = await fetch(this.healthUrl, { cache: 'no-store' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { version?: unknown };
      this.status = {
        kind: 'online',
        version: typeof body.version === 'string' ? body.version : '?',
      };
    } catch (e) {
      this.status = { kind: 'offline', reason: e instanceof Error ? e.message : String(e) };
    }
  }

  override render() {
    return html`<main>
      <h1>Linegate</h1>
      <p>Your company's phone lines in the browser.</p>
      <p class="status ${this.status.kind}" role="status">${this.statusText()}</p>
    </main>`;
  }

  private statusText(): string {
    switch (this.status.kind) {
      case 'checking':
        return 'Connecting to the gateway…';
      case 'online':
        return `Gateway online (version ${this.status.version}).`;
      case 'offline':
        return `Offline: the gateway cannot be reached (${this.status.reason}).`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-app': LgApp;
  }
}
