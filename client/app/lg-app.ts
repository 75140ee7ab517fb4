import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { getLocale, t } from '../i18n/index.ts';
import { LocaleController } from '../i18n/locale-controller.ts';
import type { Phone } from '../phone/types.ts';
import { icons } from '../components/icons.ts';
import '../components/lg-call/lg-call.ts';
import '../components/lg-colleagues/lg-colleagues.ts';
import '../components/lg-dial/lg-dial.ts';
import '../components/lg-journal/lg-journal.ts';
import '../components/lg-kiosk/lg-kiosk.ts';
import '../components/lg-lines/lg-lines.ts';
import { effectiveLine } from '../components/lg-lines/lg-lines.ts';
import type { DeclineStatus } from '../components/lg-ringing/lg-ringing.ts';
import '../components/lg-ringing/lg-ringing.ts';
import '../components/lg-settings/lg-settings.ts';
import '../components/lg-sign-in/lg-sign-in.ts';
import type { SigningInDetail } from '../components/lg-sign-in/lg-sign-in.ts';
import '../components/lg-status/lg-status.ts';
import { themeTokens } from '../styles/theme.ts';
import { shared } from '../styles/shared.ts';
import { isLive } from './calls.ts';
import { CODE_CALL_EVENT, CodeCalls, type CodeCall, type CodeCallDetail } from './code-calls.ts';
import { appStyles } from './lg-app-styles.ts';
import type { ThemePref } from './prefs.ts';
import { RouteController, type Route } from './router.ts';
import { ShellController } from './shell-controller.ts';
import { getTheme, onThemeChange } from './theme.ts';
import { WakeLockController } from './wake-lock.ts';
import { WebAudioTones, type TonePlayer } from './tones.ts';

/**
 * The application shell: sign-in, or the phone (lines, colleagues' lines to
 * pick up from, dial pad, calls), journal and settings views by hash route;
 * the full-screen ringing view over everything; kiosk mode (`?kiosk=1`)
 * instead of all navigation. A sign-in with the form dials the session's
 * after-sign-in action and shows its call in the phone view.
 */
@customElement('lg-app')
export class LgApp extends LitElement {
  static override styles = [themeTokens, shared, appStyles];

  @property({ attribute: false }) phone?: Phone | undefined;
  /** Decline buttons offered for incoming calls (a line group's policy may restrict them). */
  @property({ attribute: false }) declineOptions: readonly DeclineStatus[] = [486, 603];
  /** Launch parameters; the page's own query string unless a test sets one. */
  @property({ attribute: false }) search = location.search;
  @property({ attribute: false }) tones: TonePlayer = new WebAudioTones();
  @property({ attribute: false }) dismissAfterMs = 8000;
  /** Light/dark override; 'system' follows prefers-color-scheme. */
  @property({ reflect: true }) theme: ThemePref = getTheme();

  readonly shell = new ShellController(this);
  private readonly router = new RouteController(this);
  private readonly wakeLock = new WakeLockController(this);
  private readonly i18n = new LocaleController(this);
  private offTheme: (() => void) | undefined;
  private readonly codeCalls = new CodeCalls();

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener(CODE_CALL_EVENT, this.onCodeCall);
    document.documentElement.lang = getLocale();
    this.offTheme = onThemeChange(() => (this.theme = getTheme()));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener(CODE_CALL_EVENT, this.onCodeCall);
    this.offTheme?.();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.wakeLock.active = this.shell.kiosk && this.phone?.connection !== 'signed-out';
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // The dial view took the link's number; a later dial view starts empty.
    if (this.shell.prefill !== undefined && this.shadowRoot?.querySelector('lg-dial')) {
      this.shell.prefill = undefined;
    }
  }

  override render() {
    const phone = this.phone;
    if (!phone || this.shell.starting) {
      return html`<p class="splash" role="status">${t('app.starting')}</p>`;
    }
    if (phone.connection === 'signed-out') {
      return html`<lg-sign-in
          .phone=${phone}
          .error=${this.shell.startError}
          @lg-signing-in=${(e: CustomEvent<SigningInDetail>) => void this.signingIn(e.detail.done)}
        ></lg-sign-in>
        ${this.renderMessages()}`;
    }
    const ringing = this.shell.ringing;
    return html`<div class="app ${this.shell.kiosk ? 'kiosk' : ''}" ?inert=${!!ringing}>
        ${this.shell.kiosk ? this.renderKiosk(phone) : this.renderPhoneApp(phone)}
      </div>
      ${
        ringing
          ? html`<lg-ringing
              .phone=${phone}
              .declineOptions=${declineOptionsFor(phone, ringing.line, this.declineOptions)}
            ></lg-ringing>`
          : nothing
      }
      ${this.renderMessages()}`;
  }

  private renderKiosk(phone: Phone) {
    const { dial, label } = this.shell.launch;
    return html`<lg-kiosk
      .phone=${phone}
      .number=${dial}
      .label=${label}
      .line=${effectiveLine(phone.lines, this.shell.line)}
    ></lg-kiosk>`;
  }

  private renderPhoneApp(phone: Phone) {
    const route = this.router.route;
    const inCall = phone.calls.some((c) => c.state !== 'ringing');
    return html`<header class="top">
        <div class="brand">${icons.phone}<span>${t('app.title')}</span></div>
        <lg-status connection=${phone.connection}></lg-status>
        <nav aria-label=${t('nav.label')}>
          ${this.navLink('phone', icons.keypad, t('nav.phone'))}
          ${this.navLink('journal', icons.clock, t('nav.journal'))}
          ${this.navLink('settings', icons.settings, t('nav.settings'))}
        </nav>
      </header>
      ${this.renderBanners(phone)}
      ${
        route !== 'phone' && phone.calls.some(isLive)
          ? html`<a class="callbar" href="#/phone"
              >${t('app.callInProgress')} — ${t('app.backToCall')}</a
            >`
          : nothing
      }
      <main class=${route}>${this.renderRoute(route, phone, inCall)}</main>`;
  }

  private navLink(route: Route, icon: unknown, label: string) {
    return html`<a href="#/${route}" aria-current=${this.router.route === route ? 'page' : 'false'}
      >${icon}<span>${label}</span></a
    >`;
  }

  private renderRoute(route: Route, phone: Phone, inCall: boolean) {
    const line = effectiveLine(phone.lines, this.shell.line);
    switch (route) {
      case 'phone':
        return html`<div class="phone-grid ${inCall ? 'in-call' : ''}">
          <div class="side">
            <lg-lines
              .phone=${phone}
              .selected=${line}
              @lg-line=${(e: CustomEvent<{ id: string }>) => this.shell.chooseLine(e.detail.id)}
            ></lg-lines>
            ${phone.colleagues.length ? html`<lg-colleagues .phone=${phone}></lg-colleagues>` : nothing}
          </div>
          ${
            inCall
              ? html`<lg-call
                  .phone=${phone}
                  .line=${line}
                  .codeCall=${(id: string) => this.codeCallOf(id)}
                ></lg-call>`
              : html`<lg-dial
                  .phone=${phone}
                  .history=${this.shell.history}
                  .line=${line}
                  .prefill=${this.shell.prefill}
                ></lg-dial>`
          }
        </div>`;
      case 'journal':
        return html`<lg-journal
          .phone=${phone}
          .history=${this.shell.history}
          @lg-call-back=${(e: CustomEvent<{ number: string; line?: string }>) => {
            this.router.go('phone');
            this.shell.callBack(e.detail.number, e.detail.line);
          }}
        ></lg-journal>`;
      case 'settings':
        return html`<lg-settings .phone=${phone} .tones=${this.tones}></lg-settings>`;
    }
  }

  /** The feature-code call with this id (the menu's, or the after-sign-in action). */
  private codeCallOf(id: string): CodeCall | undefined {
    const action = this.shell.afterSignInCall;
    if (action?.id === id) return { ...action, kind: 'after-sign-in' };
    return this.codeCalls.get(id);
  }

  /** The feature-code menu placed a call: the call view names it once its id is known. */
  private readonly onCodeCall = (e: Event): void => {
    const { name, placed } = (e as CustomEvent<CodeCallDetail>).detail;
    placed.then(
      (id) => {
        this.codeCalls.add({ id, name, kind: 'feature-code' });
        this.requestUpdate();
      },
      () => undefined, // the menu reports the failure
    );
  };

  /** A sign-in with the form: its after-sign-in action is a call the call view shows. */
  private async signingIn(done: Promise<void>): Promise<void> {
    try {
      await done;
    } catch {
      return; // The form says why.
    }
    if (this.shell.signedInWithForm()) this.router.go('phone');
  }

  private renderBanners(phone: Phone) {
    const update = this.shell.applyUpdate;
    return html`${
      update && !phone.calls.some((c) => c.state !== 'ended')
        ? html`<div class="banner" role="status">
            <span>${t('app.update')}</span>
            <button class="primary" @click=${update}>${t('app.updateReload')}</button>
          </div>`
        : nothing
    }
    ${
      this.shell.offerNotifications
        ? html`<div class="banner">
            <span>${t('app.notifyAsk')}</span>
            <span class="banner-actions">
              <button @click=${() => void this.shell.allowNotifications(false)}>
                ${t('app.notifyLater')}
              </button>
              <button class="primary" @click=${() => void this.shell.allowNotifications(true)}>
                ${t('app.notifyAllow')}
              </button>
            </span>
          </div>`
        : nothing
    }`;
  }

  private renderMessages() {
    return html`<div class="messages" role="alert" aria-label=${t('app.messages')}>
      ${this.shell.messages.map(
        (m) =>
          html`<div class="message">
            <span>${t(m.key, m.params)}</span>
            <button aria-label=${t('app.dismiss')} @click=${() => this.shell.unsay(m.id)}>
              ${icons.close}
            </button>
          </div>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-app': LgApp;
  }
}

/**
 * The decline buttons for a ringing call: what the gateway says for its line
 * (ApiLine.decline, the line group's policy), else the shell's default.
 */
function declineOptionsFor(
  phone: Phone,
  lineId: string | undefined,
  fallback: readonly DeclineStatus[],
): readonly DeclineStatus[] {
  const line = phone.lines.find((l) => l.id === lineId);
  switch (line?.decline) {
    case 'choice':
      return [486, 603];
    case 'single':
      return [603];
    case 'hidden':
      return [];
    case undefined:
      return fallback;
  }
}
