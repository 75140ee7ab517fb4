import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { t, type MessageKey } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { CallView, LineFunctions, Party, Phone } from '../../phone/types.ts';
import type { CodeCall } from '../../app/code-calls.ts';
import { callStateKey, focusCall, isRinging, placeCall } from '../../app/calls.ts';
import { ClockController } from '../../app/clock.ts';
import { DevicesController } from '../../app/devices.ts';
import { endReasonKey, isFailure } from '../../app/end-reason.ts';
import { attempt, attemptSync } from '../../app/errors.ts';
import { focusIfLost } from '../../app/focus.ts';
import { formatDuration, lineName, partyDetail, partyName } from '../../app/format.ts';
import { cleanNumber } from '../../app/number.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { shownParty } from '../../app/shown-number.ts';
import { shared } from '../../styles/shared.ts';
import { icons } from '../icons.ts';
import '../lg-dialpad/lg-dialpad.ts';
import '../lg-number-input/lg-number-input.ts';
import { callStyles } from './lg-call-styles.ts';

type Panel = 'none' | 'keypad' | 'transfer' | 'add';

const ALL_FUNCTIONS: LineFunctions = { hold: true, transfer: true, dtmf: true, secondCall: true };
/** What each panel needs of the line's functions. */
const PANEL_FUNCTION = { keypad: 'dtmf', transfer: 'transfer', add: 'secondCall' } as const;

/**
 * The in-call view: who (the number as shown at the line's location; the
 * after-sign-in action by its name), how long, and the controls (mute,
 * hold, keypad, audio output, transfer, second call, swap, hang up). Hold,
 * keypad, transfer and second call only when the call's line group allows
 * them (ApiLine.functions, seed 003 "Funktionen"). An ended call shows why
 * it ended until dismissed.
 */
@customElement('lg-call')
export class LgCall extends LitElement {
  static override styles = [shared, callStyles];

  @property({ attribute: false }) phone?: Phone | undefined;
  /** Line for a second outgoing call. */
  @property() line: string | undefined;
  /** Calls to feature codes (the menu's, the after-sign-in action), shown by the code's name. */
  @property({ attribute: false }) codeCall?: ((id: string) => CodeCall | undefined) | undefined;

  @state() private panel: Panel = 'none';
  @state() private entry = '';
  @state() private entryError: MessageKey | undefined;
  @state() private tones = '';
  @state() private notice = new Map<string, string>();

  private readonly phoneCtl = new PhoneController(this);
  private readonly clock = new ClockController(this);
  private readonly devices = new DevicesController(this);
  private readonly i18n = new LocaleController(this);
  private shownId: string | undefined;
  private shownEnded = false;

  private get call(): CallView | undefined {
    return focusCall(this.phone?.calls ?? []);
  }

  /** What the call's line allows; everything when the line or its functions are unknown. */
  private functionsOf(call: CallView): LineFunctions {
    return this.phone?.lines.find((l) => l.id === call.line)?.functions ?? ALL_FUNCTIONS;
  }

  override render() {
    const call = this.call;
    if (!call) return nothing;
    const ended = call.state === 'ended';
    // Held and ended ones too: a held caller who hangs up must not vanish unsaid.
    const others = (this.phone?.calls ?? []).filter((c) => c.id !== call.id && !isRinging(c));
    const end = call.end;
    const failed = ended && end !== undefined && isFailure(end.reason);
    const code = this.codeCall?.(call.id);
    const remote = this.party(call);
    const who = code?.name ?? partyName(remote);
    const detail = code === undefined ? partyDetail(remote) : remote.number;
    return html`<section aria-labelledby="who">
      <p class="sr-only" role="status">${who}: ${t(callStateKey(call))}</p>
      ${others.length ? this.renderOthers(others) : nothing}
      <div class="party">
        ${
          code === undefined
            ? nothing
            : html`<p class="code-kind ${code.kind}">
                ${t(code.kind === 'after-sign-in' ? 'call.afterSignIn' : 'call.featureCode')}
              </p>`
        }
        <h2 id="who">${who}</h2>
        ${detail ? html`<p class="number">${detail}</p>` : nothing}
        ${
          call.line
            ? html`<p class="muted">
                ${t('call.onLine', { line: lineName(this.phone?.lines ?? [], call.line) ?? '' })}
              </p>`
            : nothing
        }
        <p class="state ${call.held || call.remoteHeld ? 'held' : ''}">${t(callStateKey(call))}</p>
        ${code === undefined ? nothing : html`<p class="muted not-evaluated">${t('call.notEvaluated')}</p>`}
        ${
          call.answeredAt !== undefined && !ended
            ? html`<p class="timer">
                <span class="sr-only">${t('call.duration')}</span>
                ${formatDuration(this.clock.now - call.answeredAt)}
              </p>`
            : nothing
        }
      </div>
      <div role="alert" class="end ${failed ? 'alert' : ''}">
        ${ended ? this.endText(call) : nothing}
      </div>
      ${
        ended
          ? html`<div class="main-actions">
              <button
                id="dismiss"
                class="primary wide"
                @click=${() => this.phone?.dismiss(call.id)}
              >
                ${t('call.dismiss')}
              </button>
            </div>`
          : this.renderControls(call)
      }
    </section>`;
  }

  /** The other side, its number as shown at the line's location. */
  private party(call: CallView): Party {
    return shownParty(call.remote, this.phone?.lines ?? [], call.line);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const call = this.call;
    if (call?.id !== this.shownId || call?.state === 'ended') this.panel = 'none';
    // A panel whose function the line no longer offers closes.
    if (call && this.panel !== 'none' && !this.functionsOf(call)[PANEL_FUNCTION[this.panel]]) {
      this.panel = 'none';
    }
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const call = this.call;
    const ended = call?.state === 'ended';
    if (call?.id === this.shownId && ended === this.shownEnded) return;
    this.shownId = call?.id;
    this.shownEnded = ended;
    focusIfLost(this.shadowRoot, ended ? '#dismiss' : '#hangup');
  }

  private endText(call: CallView): string {
    const notice = this.notice.get(call.id);
    if (notice) return notice;
    const end = call.end;
    if (!end) return t('call.state.ended');
    const status = end.status !== undefined && isFailure(end.reason);
    return `${t(endReasonKey(end.reason))}${status ? ` (${t('end.status', { status: end.status ?? '' })})` : ''}`;
  }

  private renderOthers(others: readonly CallView[]) {
    return html`<ul class="others" aria-label=${t('call.others')}>
      ${others.map((c) => {
        const who = this.codeCall?.(c.id)?.name ?? partyName(this.party(c));
        if (c.state === 'ended') {
          const failed = c.end !== undefined && isFailure(c.end.reason);
          return html`<li>
            <span class="who">${who}</span>
            <span class=${failed ? 'alert' : 'muted'}>${this.endText(c)}</span>
            <button
              aria-label=${t('app.dismiss')}
              title=${t('app.dismiss')}
              @click=${() => this.phone?.dismiss(c.id)}
            >
              ${icons.close}
            </button>
          </li>`;
        }
        return html`<li>
          <span class="who">${who}</span>
          <span class="muted">${t(callStateKey(c))}</span>
          ${
            c.state === 'active'
              ? html`<button
                  aria-label=${t('call.swap', { caller: who })}
                  title=${t('call.swap', { caller: who })}
                  @click=${() => this.run((p) => p.swap(c.id))}
                >
                  ${icons.swap}
                </button>`
              : nothing
          }
          <button
            class="danger"
            aria-label=${t('call.hangupWith', { caller: who })}
            title=${t('call.hangupWith', { caller: who })}
            @click=${() => this.run((p) => p.hangup(c.id))}
          >
            ${icons.hangup}
          </button>
        </li>`;
      })}
    </ul>`;
  }

  private renderControls(call: CallView) {
    const up = call.state === 'active';
    const can = this.functionsOf(call);
    const toggle = (panel: Panel) => () => {
      this.panel = this.panel === panel ? 'none' : panel;
      this.entry = '';
      this.entryError = undefined;
    };
    const panelButton = (panel: Exclude<Panel, 'none'>, icon: unknown, label: string) =>
      can[PANEL_FUNCTION[panel]]
        ? html`<button
            aria-expanded=${this.panel === panel ? 'true' : 'false'}
            aria-controls="panel"
            ?disabled=${!up}
            @click=${toggle(panel)}
          >
            ${icon}<span>${label}</span>
          </button>`
        : nothing;
    return html`<div class="controls">
        <button aria-pressed=${call.muted ? 'true' : 'false'} @click=${() => this.mute(call)}>
          ${call.muted ? icons.micOff : icons.mic}<span>${t('call.mute')}</span>
        </button>
        ${
          can.hold
            ? html`<button
                aria-pressed=${call.held ? 'true' : 'false'}
                ?disabled=${!up}
                @click=${() => this.run((p) => p.hold(call.id, !call.held))}
              >
                ${icons.pause}<span>${t('call.hold')}</span>
              </button>`
            : nothing
        }
        ${panelButton('keypad', icons.keypad, t('call.keypad'))}
        ${panelButton('transfer', icons.transfer, t('call.transfer'))}
        ${panelButton('add', icons.plus, t('call.add'))}
        ${this.devices.outputSelectable ? this.renderOutput() : nothing}
      </div>
      <div id="panel">${this.renderPanel(call)}</div>
      <div class="main-actions">
        <button
          id="hangup"
          class="danger round"
          aria-label=${t('call.hangup')}
          @click=${() => this.run((p) => p.hangup(call.id))}
        >
          ${icons.hangup}
        </button>
      </div>`;
  }

  private renderOutput() {
    const current = this.phone?.devices.output ?? '';
    return html`<label class="output">
      ${icons.speaker}<span class="sr-only">${t('call.output')}</span>
      <select aria-label=${t('call.output')} @change=${this.chooseOutput}>
        <option value="" ?selected=${current === ''}>${t('settings.default')}</option>
        ${this.devices.outputs.map(
          (d, i) =>
            html`<option value=${d.id} ?selected=${d.id === current}>
              ${d.label || `${t('call.output')} ${i + 1}`}
            </option>`,
        )}
      </select>
    </label>`;
  }

  private renderPanel(call: CallView) {
    switch (this.panel) {
      case 'none':
        return nothing;
      case 'keypad':
        return html`<lg-dialpad
            .label=${t('call.keypad')}
            @lg-key=${(e: CustomEvent<{ key: string }>) => this.dtmf(call, e.detail.key)}
          ></lg-dialpad>
          <p class="tones" aria-live="polite">
            ${this.tones ? t('call.tonesSent', { tones: this.tones }) : ''}
          </p>`;
      case 'transfer':
      case 'add': {
        const transfer = this.panel === 'transfer';
        return html`<form class="entry" @submit=${(e: Event) => this.submitEntry(e, call)}>
          <lg-number-input
            .label=${t(transfer ? 'call.transferTo' : 'call.addNumber')}
            .value=${this.entry}
            @lg-number=${(e: CustomEvent<{ value: string }>) => {
              this.entry = e.detail.value;
              this.entryError = undefined;
            }}
            @lg-submit=${(e: Event) => this.submitEntry(e, call)}
          ></lg-number-input>
          <p class="alert" role="alert">${this.entryError ? t(this.entryError) : nothing}</p>
          <div class="row">
            <button type="button" @click=${() => (this.panel = 'none')}>${t('call.cancel')}</button>
            <button type="submit" class="primary">
              ${transfer ? t('call.transfer') : t('dial.call')}
            </button>
          </div>
        </form>`;
      }
    }
  }

  private run(command: (phone: Phone) => Promise<unknown>): void {
    const phone = this.phone;
    if (phone) void attempt(this, () => command(phone));
  }

  private mute(call: CallView): void {
    const phone = this.phone;
    if (phone) attemptSync(this, () => phone.mute(call.id, !call.muted));
  }

  private dtmf(call: CallView, key: string): void {
    const phone = this.phone;
    if (!phone) return;
    attemptSync(this, () => phone.sendDtmf(call.id, key));
    this.tones = (this.tones + key).slice(-24);
  }

  private readonly chooseOutput = (e: Event): void => {
    const phone = this.phone;
    if (!phone) return;
    const value = (e.target as HTMLSelectElement).value;
    const devices = { ...phone.devices, output: value || undefined };
    void attempt(this, () => phone.setDevices(devices));
  };

  private submitEntry(e: Event, call: CallView): void {
    e.preventDefault();
    const phone = this.phone;
    if (!phone) return;
    const cleaned = cleanNumber(this.entry);
    if (!cleaned.ok) {
      this.entryError = cleaned.error === 'empty' ? 'dial.empty' : 'dial.invalid';
      return;
    }
    const number = cleaned.number;
    const transfer = this.panel === 'transfer';
    this.panel = 'none';
    if (transfer) {
      void attempt(this, () => phone.transfer(call.id, number)).then((ok) => {
        if (ok) this.notice = new Map(this.notice).set(call.id, t('call.transferred', { number }));
      });
    } else {
      void attempt(this, () => placeCall(phone, number, this.line));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-call': LgCall;
  }
}
