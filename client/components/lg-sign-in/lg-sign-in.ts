import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { t, type MessageKey } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { Phone } from '../../phone/types.ts';
import { errorKey } from '../../app/end-reason.ts';
import { shared } from '../../styles/shared.ts';

export interface SigningInDetail {
  /** Settles with phone.signIn(): resolved once signed in. */
  readonly done: Promise<void>;
}

/**
 * Sign-in with the Linegate username and password. The password goes to
 * phone.signIn and nowhere else; failures are said in words next to the
 * form. Each attempt fires `lg-signing-in` (while the form is still shown:
 * the app replaces it as soon as the phone is signed in) with a promise
 * of its outcome, so the app knows a sign-in came from the form.
 */
@customElement('lg-sign-in')
export class LgSignIn extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100%;
        padding: 1rem;
      }
      form {
        display: grid;
        gap: 1rem;
        width: min(100%, 24rem);
        padding: 1.5rem;
        border-radius: var(--lg-radius);
        background: var(--lg-surface);
        border: 1px solid var(--lg-border);
      }
      h1 {
        margin: 0;
        font-size: 1.75rem;
      }
      h2 {
        margin: 0;
      }
      label {
        display: grid;
        gap: 0.3rem;
        font-weight: 600;
      }
      p {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;
  /** A message to show from the start, e.g. when resuming the session failed. */
  @property({ attribute: false }) error?: MessageKey | undefined;

  @state() private busy = false;
  @query('#username') private usernameInput?: HTMLInputElement;
  @query('#password') private passwordInput?: HTMLInputElement;

  private readonly i18n = new LocaleController(this);

  override firstUpdated(): void {
    this.usernameInput?.focus();
  }

  override render() {
    return html`<form @submit=${this.submit} novalidate aria-describedby="intro">
      <h1>${t('app.title')}</h1>
      <h2>${t('signIn.title')}</h2>
      <p id="intro" class="muted">${t('signIn.intro')}</p>
      <label for="username"
        >${t('signIn.username')}
        <input
          id="username"
          name="username"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          ?disabled=${this.busy}
        />
      </label>
      <label for="password"
        >${t('signIn.password')}
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          ?disabled=${this.busy}
        />
      </label>
      <div role="alert" class="alert">${this.error ? t(this.error) : nothing}</div>
      <button class="primary" type="submit" ?disabled=${this.busy}>
        ${this.busy ? t('signIn.busy') : t('signIn.submit')}
      </button>
    </form>`;
  }

  private readonly submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const phone = this.phone;
    const username = this.usernameInput?.value.trim() ?? '';
    const password = this.passwordInput?.value ?? '';
    if (!phone || this.busy) return;
    if (!username || !password) {
      this.error = 'signIn.missing';
      (username ? this.passwordInput : this.usernameInput)?.focus();
      return;
    }
    this.busy = true;
    this.error = undefined;
    const done = phone.signIn(username, password);
    this.dispatchEvent(
      new CustomEvent<SigningInDetail>('lg-signing-in', {
        detail: { done },
        bubbles: true,
        composed: true,
      }),
    );
    try {
      await done;
      if (this.passwordInput) this.passwordInput.value = '';
    } catch (err) {
      this.error = errorKey(err);
    } finally {
      this.busy = false;
    }
    if (this.error) {
      await this.updateComplete;
      this.passwordInput?.select();
      this.passwordInput?.focus();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-sign-in': LgSignIn;
  }
  interface HTMLElementEventMap {
    'lg-signing-in': CustomEvent<SigningInDetail>;
  }
}
