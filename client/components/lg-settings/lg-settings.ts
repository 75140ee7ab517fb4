import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LOCALES, getLocalePref, setLocalePref, t, type LocalePref } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { AudioDevices, Phone } from '../../phone/types.ts';
import { DevicesController, type Device } from '../../app/devices.ts';
import { attempt, reportError } from '../../app/errors.ts';
import { MicMeterController } from '../../app/mic-meter.ts';
import { notificationsSupported } from '../../app/notifier.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { canHandleLinks, handlePhoneLinks } from '../../app/phone-links.ts';
import { prefs, type ThemePref } from '../../app/prefs.ts';
import { getTheme, setTheme } from '../../app/theme.ts';
import type { TonePlayer } from '../../app/tones.ts';
import { sectionStyles } from '../../styles/sections.ts';
import { shared } from '../../styles/shared.ts';
import { settingsStyles } from './lg-settings-styles.ts';
import '../lg-after-sign-in/lg-after-sign-in.ts';
import '../lg-forwarding/lg-forwarding.ts';

const THEMES: readonly (readonly [
  ThemePref,
  'settings.themeSystem' | 'settings.themeLight' | 'settings.themeDark',
])[] = [
  ['system', 'settings.themeSystem'],
  ['light', 'settings.themeLight'],
  ['dark', 'settings.themeDark'],
];

/**
 * Settings: audio devices (with a microphone level meter and a test tone
 * on the chosen output), call forwarding (lg-forwarding), the action after
 * sign-in (lg-after-sign-in, for a user with one line), notifications,
 * language, theme, sign-out.
 */
@customElement('lg-settings')
export class LgSettings extends LitElement {
  static override styles = [shared, sectionStyles, settingsStyles];

  @property({ attribute: false }) phone?: Phone | undefined;
  /** Plays the test tone; the shell shares its player. */
  @property({ attribute: false }) tones?: TonePlayer | undefined;

  @state() private permission: NotificationPermission | 'unsupported' = notificationsSupported()
    ? Notification.permission
    : 'unsupported';

  private readonly phoneCtl = new PhoneController(this);
  private readonly devices = new DevicesController(this);
  private readonly meter = new MicMeterController(this);
  private readonly i18n = new LocaleController(this);

  override render() {
    return html`<h2>${t('settings.title')}</h2>
      ${this.renderAudio()}
      ${
        this.phone?.user
          ? html`<lg-forwarding .phone=${this.phone}></lg-forwarding>
              <lg-after-sign-in .phone=${this.phone}></lg-after-sign-in>`
          : nothing
      }
      ${this.renderNotifications()} ${this.renderLanguage()} ${this.renderTheme()}
      ${this.renderAccount()}`;
  }

  private renderAudio() {
    const d = this.devices;
    const current = this.phone?.devices ?? {};
    return html`<section aria-labelledby="audio">
      <h3 id="audio">${t('settings.audio')}</h3>
      ${this.renderSelect('input', t('settings.microphone'), d.inputs, current.input)}
      ${
        d.outputSelectable
          ? this.renderSelect('output', t('settings.output'), d.outputs, current.output)
          : html`<p class="muted">${t('settings.outputUnsupported')}</p>`
      }
      ${
        d.labelled
          ? nothing
          : html`<p class="muted">
                ${d.denied ? t('settings.devicesDenied') : t('settings.devicesHint')}
              </p>
              <button type="button" @click=${() => void d.requestLabels()}>
                ${t('settings.allowDevices')}
              </button>`
      }
      <div class="row">
        <button
          type="button"
          aria-pressed=${this.meter.running ? 'true' : 'false'}
          @click=${this.toggleMeter}
        >
          ${this.meter.running ? t('settings.micStop') : t('settings.micTest')}
        </button>
        <button type="button" @click=${this.testTone}>${t('settings.testTone')}</button>
      </div>
      <label class="meter" ?hidden=${!this.meter.running}>
        ${t('settings.micLevel')}
        <meter
          min="0"
          max="1"
          low="0.15"
          high="0.9"
          optimum="0.5"
          .value=${this.meter.level}
        ></meter>
      </label>
    </section>`;
  }

  private renderSelect(
    kind: keyof AudioDevices,
    label: string,
    list: readonly Device[],
    current: string | undefined,
  ) {
    return html`<label class="field"
      >${label}
      <select
        @change=${(e: Event) => this.chooseDevice(kind, (e.target as HTMLSelectElement).value)}
      >
        <option value="" ?selected=${!current}>${t('settings.default')}</option>
        ${list.map(
          (dev, i) =>
            html`<option value=${dev.id} ?selected=${dev.id === current}>
              ${dev.label || `${label} ${i + 1}`}
            </option>`,
        )}
      </select>
    </label>`;
  }

  /** The browser was asked to open tel:/sip: links here (it confirms itself). */
  @state() private linksAsked = false;

  private renderNotifications() {
    const p = this.permission;
    const text =
      p === 'unsupported'
        ? t('settings.notifyUnsupported')
        : p === 'granted'
          ? t('settings.notifyGranted')
          : p === 'denied'
            ? t('settings.notifyDenied')
            : t('settings.notifyDefault');
    return html`<section aria-labelledby="notify">
      <h3 id="notify">${t('settings.notifications')}</h3>
      <p class="muted">${text}</p>
      ${
        p === 'default'
          ? html`<button type="button" @click=${this.askNotifications}>
              ${t('app.notifyAllow')}
            </button>`
          : nothing
      }
      ${
        canHandleLinks()
          ? html`<p class="muted">${t('settings.linksHint')}</p>
              <button type="button" @click=${this.askLinks}>${t('settings.links')}</button>
              ${this.linksAsked ? html`<p role="status">${t('settings.linksAsked')}</p>` : nothing}`
          : nothing
      }
    </section>`;
  }

  private readonly askLinks = (): void => {
    this.linksAsked = handlePhoneLinks();
  };

  private renderLanguage() {
    const pref = getLocalePref();
    return html`<section aria-labelledby="lang">
      <h3 id="lang">${t('settings.language')}</h3>
      <label class="field"
        ><span class="sr-only">${t('settings.language')}</span>
        <select
          aria-labelledby="lang"
          @change=${(e: Event) => setLocalePref((e.target as HTMLSelectElement).value as LocalePref)}
        >
          <option value="system" ?selected=${pref === 'system'}>
            ${t('settings.languageSystem')}
          </option>
          ${LOCALES.map(
            (l) =>
              html`<option value=${l} lang=${l} ?selected=${pref === l}>${t(`lang.${l}`)}</option>`,
          )}
        </select>
      </label>
    </section>`;
  }

  private renderTheme() {
    const theme = getTheme();
    return html`<section aria-labelledby="theme">
      <h3 id="theme">${t('settings.theme')}</h3>
      <div class="choices" role="radiogroup" aria-labelledby="theme">
        ${THEMES.map(
          ([value, key]) =>
            html`<label class="choice"
              ><input
                type="radio"
                name="theme"
                .checked=${theme === value}
                @change=${() => {
                  setTheme(value);
                  this.requestUpdate();
                }}
              />${t(key)}</label
            >`,
        )}
      </div>
    </section>`;
  }

  private renderAccount() {
    const user = this.phone?.user;
    if (!user) return nothing;
    return html`<section aria-labelledby="account">
      <h3 id="account">${t('settings.account')}</h3>
      <p>${t('settings.signedInAs', { name: user.displayName, username: user.username })}</p>
      <button type="button" class="danger" @click=${this.signOut}>${t('settings.signOut')}</button>
    </section>`;
  }

  private chooseDevice(kind: keyof AudioDevices, value: string): void {
    const phone = this.phone;
    if (!phone) return;
    const devices: AudioDevices = { ...phone.devices, [kind]: value || undefined };
    void attempt(this, () => phone.setDevices(devices));
    if (kind === 'input' && this.meter.running) void this.startMeter();
  }

  private readonly toggleMeter = (): void => {
    if (this.meter.running) this.meter.stop();
    else void this.startMeter();
  };

  private async startMeter(): Promise<void> {
    try {
      await this.meter.start(this.phone?.devices.input);
      // Permission came with it: device names can be shown now.
      if (!this.devices.labelled) await this.devices.refresh();
    } catch {
      reportError(this, { key: 'error.no-microphone' });
    }
  }

  private readonly testTone = (): void => {
    this.tones?.unlock();
    this.tones?.play('test', this.phone?.devices.output);
  };

  private readonly askNotifications = async (): Promise<void> => {
    prefs.notifyAsked = true;
    this.permission = await Notification.requestPermission();
  };

  private readonly signOut = (): void => {
    const phone = this.phone;
    if (phone) void attempt(this, () => phone.signOut());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-settings': LgSettings;
  }
}
