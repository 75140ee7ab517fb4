import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { t, type MessageKey } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import {
  MAX_AFTER_SIGN_IN_DIAL,
  MAX_AFTER_SIGN_IN_NAME,
  type AfterSignIn,
  type ApiLine,
  type FeatureCode,
  type Phone,
} from '../../phone/types.ts';
import { errorKey } from '../../app/end-reason.ts';
import {
  asksForParams,
  codeLabel,
  fillCode,
  paramsIn,
  type Typed,
} from '../../app/feature-code.ts';
import { lineName } from '../../app/format.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { sectionStyles } from '../../styles/sections.ts';
import { shared } from '../../styles/shared.ts';
import type { LgCodeParams } from '../lg-code-params/lg-code-params.ts';
import '../lg-code-params/lg-code-params.ts';

/** The select's values: nothing, the saved action as it is, or a feature code by index. */
const NOTHING = '';
const CURRENT = 'current';

type Message = { readonly kind: 'saved' } | { readonly kind: 'error'; readonly text: string };

/**
 * "After sign-in" (seed 000) in the settings, for a user with exactly one
 * line: nothing, or one of that line's feature codes (its number and
 * seconds asked for when it has them), dialled once after each sign-in
 * with the form. Shows the saved action (name and digits) and saves the
 * choice at the gateway (Phone.setAfterSignIn). Renders nothing unless the
 * user has exactly one line.
 */
@customElement('lg-after-sign-in')
export class LgAfterSignIn extends LitElement {
  static override styles = [
    shared,
    sectionStyles,
    css`
      :host {
        display: block;
      }
      :host([hidden]) {
        display: none;
      }
      p:empty {
        display: none;
      }
      .current {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;

  /** What the gateway keeps; undefined while loading (or failed, see loadError). */
  @state() private current: AfterSignIn | undefined;
  @state() private loadError: MessageKey | undefined;
  /** The select's value. */
  @state() private choice = NOTHING;
  /** What the parameter fields start with. */
  @state() private initial: Typed = {};
  @state() private saving = false;
  @state() private message: Message | undefined;

  /** The phone last asked for the action: each phone is asked once it has one line. */
  private asked: Phone | undefined;
  private readonly phoneCtl = new PhoneController(this);
  private readonly i18n = new LocaleController(this);

  override willUpdate(): void {
    const line = this.line();
    this.hidden = line === undefined;
    if (line !== undefined && this.asked !== this.phone) void this.load();
  }

  override render() {
    const line = this.line();
    if (!line) return nothing;
    const name = lineName(this.phone?.lines ?? [], line.id) ?? line.id;
    return html`<section aria-labelledby="asi-title" aria-busy=${this.saving ? 'true' : 'false'}>
      <h3 id="asi-title">${t('afterSignIn.title')}</h3>
      <p class="muted">${t('afterSignIn.intro', { line: name })}</p>
      ${this.renderBody(line, name)}
    </section>`;
  }

  private renderBody(line: ApiLine, name: string) {
    if (this.loadError !== undefined) {
      return html`<p class="alert" role="alert">
          ${t('afterSignIn.loadFailed')} ${t(this.loadError)}
        </p>
        <div class="row">
          <button type="button" @click=${() => void this.load()}>${t('afterSignIn.retry')}</button>
        </div>`;
    }
    const current = this.current;
    if (current === undefined) return html`<p role="status">${t('afterSignIn.loading')}</p>`;
    const codes = line.featureCodes;
    const chosen = this.chosenCode(codes);
    const msg = this.message;
    const saved = msg?.kind === 'saved';
    return html`<p class="current">
        ${
          current.dial === null
            ? t('afterSignIn.currentNone')
            : t('afterSignIn.current', { name: current.name, dial: current.dial })
        }
      </p>
      ${
        codes.length
          ? nothing
          : html`<p class="muted no-codes">${t('afterSignIn.noCodes', { line: name })}</p>`
      }
      <label class="field"
        >${t('afterSignIn.action')}
        <select class="action" @change=${this.choose}>
          ${
            current.dial !== null && this.matching(codes, current) === undefined
              ? html`<option value=${CURRENT} .selected=${live(this.choice === CURRENT)}>
                  ${current.name} (${current.dial})
                </option>`
              : nothing
          }
          <option value=${NOTHING} .selected=${live(this.choice === NOTHING)}>
            ${t('afterSignIn.nothing')}
          </option>
          ${codes.map(
            (c, i) =>
              html`<option value=${String(i)} .selected=${live(this.choice === String(i))}>
                ${c.name} (${codeLabel(c.code)})
              </option>`,
          )}
        </select>
      </label>
      ${
        chosen && asksForParams(chosen.code)
          ? html`<lg-code-params
              .code=${chosen}
              .initial=${this.initial}
              .maxLength=${MAX_AFTER_SIGN_IN_DIAL}
              .location=${this.line()?.location}
              @lg-code-submit=${() => void this.save()}
            ></lg-code-params>`
          : nothing
      }
      <div class="row">
        <button type="button" class="primary save" ?disabled=${this.saving} @click=${this.save}>
          ${this.saving ? t('afterSignIn.saving') : t('afterSignIn.save')}
        </button>
        <span role="status"
          >${saved ? html`<span class="ok">${t('afterSignIn.saved')}</span>` : nothing}</span
        >
      </div>
      <p class="alert" role="alert">${msg?.kind === 'error' ? msg.text : nothing}</p>`;
  }

  /** The user's one line; undefined with none or several. */
  private line(): ApiLine | undefined {
    const lines = this.phone?.lines ?? [];
    return lines.length === 1 ? lines[0] : undefined;
  }

  private chosenCode(codes: readonly FeatureCode[]): FeatureCode | undefined {
    return this.choice === NOTHING || this.choice === CURRENT
      ? undefined
      : codes[Number(this.choice)];
  }

  /** The code a saved action was made of (the one of its name first), with its parameters. */
  private matching(
    codes: readonly FeatureCode[],
    action: AfterSignIn,
  ): { index: number; typed: Typed } | undefined {
    if (action.dial === null) return undefined;
    const ordered = [...codes.entries()].sort(
      ([, a], [, b]) => Number(b.name === action.name) - Number(a.name === action.name),
    );
    for (const [index, code] of ordered) {
      const typed = paramsIn(code.code, action.dial);
      if (typed !== undefined) return { index, typed };
    }
    return undefined;
  }

  /** Shows a saved action: the select on it, its parameters in the fields. */
  private show(action: AfterSignIn): void {
    this.current = action;
    const found = this.matching(this.line()?.featureCodes ?? [], action);
    this.choice = action.dial === null ? NOTHING : found ? String(found.index) : CURRENT;
    this.initial = found?.typed ?? {};
  }

  private async load(): Promise<void> {
    const phone = this.phone;
    if (!phone) return;
    this.asked = phone;
    this.current = undefined;
    this.loadError = undefined;
    try {
      const action = await phone.afterSignIn();
      if (phone !== this.phone) return;
      this.show(action);
      this.message = undefined;
    } catch (err) {
      if (phone === this.phone) this.loadError = errorKey(err);
    }
  }

  private readonly choose = (e: Event): void => {
    this.choice = (e.target as HTMLSelectElement).value;
    // Back on the saved code: its saved parameters again.
    const saved = this.current && this.matching(this.line()?.featureCodes ?? [], this.current);
    this.initial = saved && String(saved.index) === this.choice ? saved.typed : {};
    this.message = undefined;
  };

  /** What to save, or undefined after saying what is wrong. */
  private chosenAction(): AfterSignIn | undefined {
    if (this.choice === NOTHING) return { dial: null };
    if (this.choice === CURRENT) return this.current;
    const code = this.chosenCode(this.line()?.featureCodes ?? []);
    if (!code) return undefined;
    const name = code.name.slice(0, MAX_AFTER_SIGN_IN_NAME);
    if (asksForParams(code.code)) {
      const dial = this.shadowRoot?.querySelector<LgCodeParams>('lg-code-params')?.fill();
      return dial === undefined ? undefined : { dial, name };
    }
    const filled = fillCode(code.code, {}, MAX_AFTER_SIGN_IN_DIAL);
    if (filled.ok) return { dial: filled.dial, name };
    this.message = { kind: 'error', text: t(filled.error, filled.params) };
    return undefined;
  }

  private readonly save = async (): Promise<void> => {
    const phone = this.phone;
    if (!phone || this.saving) return;
    this.message = undefined;
    const action = this.chosenAction();
    if (action === undefined) return;
    this.saving = true;
    try {
      this.show(await phone.setAfterSignIn(action));
      this.message = { kind: 'saved' };
    } catch (err) {
      const key = errorKey(err);
      const text = err instanceof Error ? err.message : '';
      this.message = {
        kind: 'error',
        text: key === 'error.failed' && text ? t('afterSignIn.refused', { reason: text }) : t(key),
      };
    } finally {
      this.saving = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-after-sign-in': LgAfterSignIn;
  }
}
