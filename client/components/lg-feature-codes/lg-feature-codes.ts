import { CODE_CALL_EVENT, type CodeCallDetail } from '../../app/code-calls.ts';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { ApiLine, FeatureCode, Phone } from '../../phone/types.ts';
import { placeCall } from '../../app/calls.ts';
import { attempt } from '../../app/errors.ts';
import { asksForParams, codeLabel } from '../../app/feature-code.ts';
import { lineName } from '../../app/format.ts';
import type { CallHistory } from '../../app/history.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { listStyles } from '../../styles/lists.ts';
import { shared } from '../../styles/shared.ts';
import type { LgCodeParams } from '../lg-code-params/lg-code-params.ts';
import '../lg-code-params/lg-code-params.ts';
import { effectiveLine } from '../lg-lines/lg-lines.ts';

/**
 * The PBX feature codes of the chosen line (ApiLine.featureCodes, seeds
 * 000/003), offered while the line has no call: choosing one dials it as
 * an ordinary call on that line; a code with `<NUMBER>` or `<SECONDS>`
 * first asks for them (lg-code-params: the number with suggestions from
 * the history, the seconds). The PBX's answer is not evaluated. Hidden
 * when the line has no codes.
 */
@customElement('lg-feature-codes')
export class LgFeatureCodes extends LitElement {
  static override styles = [
    shared,
    listStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      :host([hidden]) {
        display: none;
      }
      .toggle {
        width: 100%;
        justify-content: space-between;
      }
      .toggle::after {
        content: '▾';
      }
      .toggle[aria-expanded='true']::after {
        content: '▴';
      }
      .panel,
      ul,
      .ask {
        /* minmax: a wide field (the number input) must not widen the column. */
        grid-template-columns: minmax(0, 1fr);
      }
      .panel {
        display: grid;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      p {
        margin: 0;
      }
      .code {
        width: 100%;
        justify-content: space-between;
        flex-wrap: wrap;
        text-align: start;
        background: var(--lg-surface-2);
        border-color: transparent;
      }
      .code .digits {
        font-variant-numeric: tabular-nums;
      }
      .ask {
        display: grid;
        gap: 0.5rem;
        margin-top: 0.4rem;
        padding: 0.75rem;
        border: 1px solid var(--lg-border);
        border-radius: var(--lg-radius);
      }
      .ask .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        justify-content: end;
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;
  @property({ attribute: false }) history?: CallHistory | undefined;
  /** The chosen line (as lg-lines shows it: the first when unset or gone). */
  @property() line: string | undefined;

  @state() private open = false;
  /** The code whose parameters are being asked for. */
  @state() private asking: FeatureCode | undefined;
  @state() private busy = false;

  private readonly phoneCtl = new PhoneController(this);
  private readonly i18n = new LocaleController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('line')) this.closeAsk();
    this.hidden = this.offered() === undefined;
  }

  override render() {
    const line = this.offered();
    if (!line) return nothing;
    const name = lineName(this.phone?.lines ?? [], line.id) ?? line.id;
    return html`<button
        type="button"
        class="toggle"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="codes"
        @click=${() => (this.open = !this.open)}
      >
        ${t('featureCodes.title')}
      </button>
      <div id="codes" class="panel" ?hidden=${!this.open}>
        <p class="muted">${t('featureCodes.hint')}</p>
        <ul aria-label=${t('featureCodes.forLine', { line: name })}>
          ${line.featureCodes.map((c) => html`<li>${this.renderCode(c)}</li>`)}
        </ul>
      </div>`;
  }

  private renderCode(c: FeatureCode) {
    const asking = same(this.asking, c);
    return html`<button
        type="button"
        class="code"
        aria-expanded=${asksForParams(c.code) ? String(asking) : nothing}
        ?disabled=${this.busy}
        @click=${() => this.choose(c)}
      >
        <span>${c.name}</span>
        <span class="muted digits">${codeLabel(c.code)}</span>
      </button>
      ${asking ? this.renderAsk(c) : nothing}`;
  }

  private renderAsk(c: FeatureCode) {
    return html`<div class="ask" @keydown=${this.onKeydown}>
      <lg-code-params
        .code=${c}
        .history=${this.history}
        .location=${this.offered()?.location}
        @lg-code-submit=${(e: Event) => {
          e.stopPropagation();
          void this.submit();
        }}
      ></lg-code-params>
      <div class="actions">
        <button type="button" class="cancel" @click=${() => this.cancel()}>
          ${t('featureCodes.cancel')}
        </button>
        <button
          type="button"
          class="accept dial"
          ?disabled=${this.busy}
          @click=${() => void this.submit()}
        >
          ${t('featureCodes.call')}
        </button>
      </div>
    </div>`;
  }

  /** The chosen line, when it has codes and no call. */
  private offered(): ApiLine | undefined {
    const phone = this.phone;
    if (!phone) return undefined;
    const id = effectiveLine(phone.lines, this.line);
    const line = phone.lines.find((l) => l.id === id);
    if (!line?.featureCodes.length) return undefined;
    const busy =
      line.active > 0 ||
      line.ringing > 0 ||
      phone.calls.some((c) => c.line === line.id && c.state !== 'ended');
    return busy ? undefined : line;
  }

  private choose(c: FeatureCode): void {
    if (!asksForParams(c.code)) {
      void this.dial(c.code, c.name);
      return;
    }
    if (same(this.asking, c)) {
      this.cancel();
      return;
    }
    this.closeAsk();
    this.asking = c;
    void this.updateComplete.then(async () => {
      const params = this.params();
      await params?.updateComplete;
      params?.focus();
    });
  }

  private params(): LgCodeParams | null | undefined {
    return this.shadowRoot?.querySelector('lg-code-params');
  }

  /** Dials the code being asked for, once its fields are right. */
  private async submit(): Promise<void> {
    const dial = this.params()?.fill();
    const name = this.asking?.name;
    if (dial !== undefined && name !== undefined) await this.dial(dial, name);
  }

  private async dial(code: string, name: string): Promise<void> {
    const phone = this.phone;
    const line = this.offered();
    if (!phone || !line || this.busy) return;
    this.busy = true;
    const placed = placeCall(phone, code, line.id);
    this.dispatchEvent(
      new CustomEvent<CodeCallDetail>(CODE_CALL_EVENT, {
        bubbles: true,
        composed: true,
        detail: { name, placed },
      }),
    );
    const ok = await attempt(this, () => placed);
    this.busy = false;
    if (ok) {
      this.closeAsk();
      this.open = false;
    }
  }

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    this.cancel();
  };

  /** Closes the prompt and puts the keyboard back on its code. */
  private cancel(): void {
    const index = this.offered()?.featureCodes.findIndex((c) => same(c, this.asking)) ?? -1;
    this.closeAsk();
    void this.updateComplete.then(() =>
      this.shadowRoot?.querySelectorAll<HTMLElement>('button.code')[index]?.focus(),
    );
  }

  private closeAsk(): void {
    this.asking = undefined;
  }
}

/** Lines come anew with every change the gateway reports: codes are compared by value. */
const same = (a: FeatureCode | undefined, b: FeatureCode | undefined): boolean =>
  a !== undefined && b !== undefined && a.name === b.name && a.code === b.code;

declare global {
  interface HTMLElementTagNameMap {
    'lg-feature-codes': LgFeatureCodes;
  }
}
