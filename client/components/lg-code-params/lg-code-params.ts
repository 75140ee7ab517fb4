import type { Location } from '#shared/dialing/index.ts';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { MAX_SECONDS, MIN_SECONDS, paramsOf } from '#shared/feature-codes.ts';
import { t, type MessageKey, type Params } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { FeatureCode } from '../../phone/types.ts';
import { DEFAULT_SECONDS, fillCode, type Typed } from '../../app/feature-code.ts';
import type { CallHistory } from '../../app/history.ts';
import { SubscriptionController } from '../../app/phone-controller.ts';
import { shared } from '../../styles/shared.ts';
import '../lg-number-input/lg-number-input.ts';

/**
 * The fields a feature code asks for (#shared/feature-codes.ts): the
 * number for `<NUMBER>` (with suggestions from the history) and the whole
 * seconds for `<SECONDS>`. The view holding it asks fill() for the digits
 * to dial when the user confirms — Enter in a field fires `lg-code-submit`
 * for that — and fill() says in place what is wrong. `initial` sets the
 * fields (again) whenever `code` or it changes in value.
 */
@customElement('lg-code-params')
export class LgCodeParams extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.5rem;
      }
      label.seconds {
        display: grid;
        gap: 0.3rem;
        font-weight: 600;
      }
      label.seconds input {
        font-weight: normal;
        width: 8rem;
      }
      p {
        margin: 0;
      }
      p:empty {
        display: none;
      }
    `,
  ];

  @property({ attribute: false }) code?: FeatureCode | undefined;
  @property({ attribute: false }) history?: CallHistory | undefined;
  /** Values to start with (e.g. those of a saved action). */
  @property({ attribute: false }) initial: Typed = {};
  /** The longest result allowed, when there is a limit. */
  @property({ attribute: false }) maxLength?: number | undefined;
  /** The line's location: the number is filled in as the PBX dials it. */
  @property({ attribute: false }) location?: Location | undefined;

  @state() private number = '';
  @state() private seconds = String(DEFAULT_SECONDS);
  @state() private error: { key: MessageKey; params?: Params | undefined } | undefined;

  private readonly historyCtl = new SubscriptionController(this, () => this.history);
  private readonly i18n = new LocaleController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    // Compared by value: lines (and their codes) come anew with every change the gateway reports.
    const code = changed.has('code') && !sameCode(changed.get('code'), this.code);
    const initial = changed.has('initial') && !sameTyped(changed.get('initial'), this.initial);
    if (code || initial) {
      this.number = this.initial.number ?? '';
      this.seconds = this.initial.seconds ?? String(DEFAULT_SECONDS);
      this.error = undefined;
    }
  }

  override render() {
    const code = this.code;
    if (!code) return nothing;
    const asks = paramsOf(code.code);
    return html`${asks.number ? this.renderNumber(code) : nothing}
      ${asks.seconds ? this.renderSeconds(code) : nothing}
      <p class="alert" role="alert">
        ${this.error ? t(this.error.key, this.error.params) : nothing}
      </p>`;
  }

  private renderNumber(code: FeatureCode) {
    return html`<lg-number-input
      .label=${t('featureCodes.numberFor', { name: code.name })}
      .value=${this.number}
      .suggestions=${this.history?.suggest(this.number) ?? []}
      @lg-number=${(e: CustomEvent<{ value: string }>) => {
        e.stopPropagation();
        this.number = e.detail.value;
        this.error = undefined;
      }}
      @lg-submit=${(e: Event) => {
        e.stopPropagation();
        this.submit();
      }}
    ></lg-number-input>`;
  }

  private renderSeconds(code: FeatureCode) {
    return html`<label class="seconds"
      >${t('featureCodes.secondsFor', { name: code.name })}
      <input
        class="seconds"
        type="number"
        inputmode="numeric"
        min=${MIN_SECONDS}
        max=${MAX_SECONDS}
        step="1"
        .value=${live(this.seconds)}
        aria-invalid=${this.error?.key === 'featureCodes.secondsInvalid' ? 'true' : 'false'}
        @input=${(e: Event) => {
          this.seconds = (e.target as HTMLInputElement).value;
          this.error = undefined;
        }}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          this.submit();
        }}
    /></label>`;
  }

  /** Puts the keyboard into the first field. */
  override focus(): void {
    const field =
      this.shadowRoot?.querySelector<HTMLElement>('lg-number-input') ??
      this.shadowRoot?.querySelector<HTMLElement>('input.seconds');
    field?.focus();
  }

  /**
   * The digits to dial, or undefined after saying what is wrong (and
   * putting the keyboard into that field).
   */
  fill(): string | undefined {
    const code = this.code;
    if (!code) return undefined;
    const filled = fillCode(
      code.code,
      { number: this.number, seconds: this.seconds },
      this.maxLength,
      this.location,
    );
    if (filled.ok) return filled.dial;
    this.error = { key: filled.error, params: filled.params };
    const selector = filled.field === 'number' ? 'lg-number-input' : 'input.seconds';
    this.shadowRoot?.querySelector<HTMLElement>(selector)?.focus();
    return undefined;
  }

  private submit(): void {
    this.dispatchEvent(new CustomEvent('lg-code-submit', { bubbles: true, composed: true }));
  }
}

const sameCode = (a: FeatureCode | undefined, b: FeatureCode | undefined): boolean =>
  a?.name === b?.name && a?.code === b?.code;

const sameTyped = (a: Typed | undefined, b: Typed): boolean =>
  a?.number === b.number && a?.seconds === b.seconds;

declare global {
  interface HTMLElementTagNameMap {
    'lg-code-params': LgCodeParams;
  }
  interface HTMLElementEventMap {
    'lg-code-submit': CustomEvent<undefined>;
  }
}
