import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { MAX_FORWARD_RULES } from '#shared/api.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { ForwardCalls, ForwardRule, ForwardWhen, Phone } from '../../phone/types.ts';
import { errorKey } from '../../app/end-reason.ts';
import { lineName } from '../../app/format.ts';
import { cleanNumber } from '../../app/number.ts';
import { PhoneController } from '../../app/phone-controller.ts';
import { sectionStyles } from '../../styles/sections.ts';
import { shared } from '../../styles/shared.ts';
import { forwardingStyles } from './lg-forwarding-styles.ts';

/** A rule being edited: `target` as typed until it is cleaned. */
interface Draft {
  readonly key: number;
  line: string;
  when: ForwardWhen;
  calls: ForwardCalls;
  target: string;
  enabled: boolean;
}

type Message =
  | { readonly kind: 'saved' }
  /** `rule`: the index of the rule it is about, when there is one. */
  | { readonly kind: 'error'; readonly text: string; readonly rule?: number | undefined };

const WHENS: readonly (readonly [ForwardWhen, MessageKey])[] = [
  ['always', 'forwarding.always'],
  ['busy', 'forwarding.busy'],
];
const CALLS: readonly (readonly [ForwardCalls, MessageKey])[] = [
  ['all', 'forwarding.all'],
  ['internal', 'forwarding.internal'],
  ['external', 'forwarding.external'],
];

/** The gateway names the rule it refuses: "rule 2: target must be a number …". */
const RULE_REFUSAL = /^rule (\d+): (.+)$/s;

/**
 * The user's server-side call forwarding (seeds 001/002, Phone.forwarding):
 * rules per line — always or when busy, for all, internal or external
 * calls — edited in place and saved together (PUT replaces them all). A
 * refusal shows the gateway's reason at the rule it names.
 */
@customElement('lg-forwarding')
export class LgForwarding extends LitElement {
  static override styles = [shared, sectionStyles, forwardingStyles];

  @property({ attribute: false }) phone?: Phone | undefined;

  /** undefined: loading (or failed, see loadError). */
  @state() private drafts: Draft[] | undefined;
  @state() private loadError: MessageKey | undefined;
  @state() private dirty = false;
  @state() private saving = false;
  @state() private message: Message | undefined;

  private nextKey = 1;
  private readonly phoneCtl = new PhoneController(this);
  private readonly i18n = new LocaleController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('phone')) void this.load();
  }

  override render() {
    return html`<section aria-labelledby="fwd-title" aria-busy=${this.saving ? 'true' : 'false'}>
      <h3 id="fwd-title">${t('forwarding.title')}</h3>
      <p class="muted">${t('forwarding.intro')}</p>
      ${this.renderBody()}
    </section>`;
  }

  private renderBody() {
    const drafts = this.drafts;
    if (this.loadError !== undefined) {
      return html`<p class="alert" role="alert">
          ${t('forwarding.loadFailed')} ${t(this.loadError)}
        </p>
        <div class="row">
          <button type="button" @click=${() => void this.load()}>${t('forwarding.retry')}</button>
        </div>`;
    }
    if (drafts === undefined) return html`<p role="status">${t('forwarding.loading')}</p>`;
    const lines = this.phone?.lines ?? [];
    const full = drafts.length >= MAX_FORWARD_RULES;
    const msg = this.message;
    return html`${
        drafts.length === 0
          ? html`<p>${lines.length ? t('forwarding.empty') : t('forwarding.noLines')}</p>`
          : html`<ol>
              ${repeat(
                drafts,
                (d) => d.key,
                (d, i) => html`<li>${this.renderRule(d, i)}</li>`,
              )}
            </ol>`
      }
      ${full ? html`<p class="muted">${t('forwarding.max', { max: MAX_FORWARD_RULES })}</p>` : nothing}
      <div class="row">
        <button
          type="button"
          class="add"
          ?disabled=${full || lines.length === 0}
          @click=${this.add}
        >
          ${t('forwarding.add')}
        </button>
        <button type="button" class="primary save" ?disabled=${this.saving} @click=${this.save}>
          ${this.saving ? t('forwarding.saving') : t('forwarding.save')}
        </button>
      </div>
      <p class="status" role="status">
        ${
          msg?.kind === 'saved'
            ? html`<span class="ok">${t('forwarding.saved')}</span>`
            : this.dirty
              ? t('forwarding.unsaved')
              : nothing
        }
      </p>
      <p class="alert" role="alert">${msg?.kind === 'error' ? msg.text : nothing}</p>`;
  }

  private renderRule(d: Draft, i: number) {
    const n = i + 1;
    const lines = this.phone?.lines ?? [];
    const own = lines.some((l) => l.id === d.line);
    const invalid = this.message?.kind === 'error' && this.message.rule === i;
    return html`<fieldset
      class=${`${invalid ? 'invalid' : ''} ${d.enabled ? '' : 'off'}`}
      data-rule=${i}
      aria-invalid=${invalid ? 'true' : 'false'}
    >
      <legend>${t('forwarding.rule', { n })}</legend>
      <div class="fields">
        <label class="field"
          >${t('forwarding.line')}
          <select class="line" @change=${(e: Event) => this.edit(d, { line: value(e) })}>
            ${lines.map(
              (l) =>
                html`<option value=${l.id} .selected=${live(l.id === d.line)}>
                  ${lineName(lines, l.id)}
                </option>`,
            )}
            ${
              own
                ? nothing
                : html`<option value=${d.line} selected disabled>
                    ${t('forwarding.otherLine', { line: d.line })}
                  </option>`
            }
          </select>
        </label>
        ${this.renderChoice(t('forwarding.when'), 'when', WHENS, d.when, (when) =>
          this.edit(d, { when }),
        )}
        ${this.renderChoice(t('forwarding.calls'), 'calls', CALLS, d.calls, (calls) =>
          this.edit(d, { calls }),
        )}
        <label class="field"
          >${t('forwarding.target')}
          <input
            class="target"
            type="tel"
            inputmode="tel"
            autocomplete="off"
            spellcheck="false"
            .value=${live(d.target)}
            @input=${(e: Event) => this.edit(d, { target: value(e) })}
            @change=${(e: Event) => this.tidy(d, e.target as HTMLInputElement)}
          />
        </label>
      </div>
      <div class="row rule-actions">
        <label class="check"
          ><input
            type="checkbox"
            .checked=${live(d.enabled)}
            @change=${(e: Event) =>
              this.edit(d, { enabled: (e.target as HTMLInputElement).checked })}
          />${t('forwarding.enabled')}</label
        >
        <button
          type="button"
          class="remove"
          aria-label=${t('forwarding.removeRule', { n })}
          @click=${() => this.removeRule(d)}
        >
          ${t('forwarding.remove')}
        </button>
      </div>
    </fieldset>`;
  }

  private renderChoice<V extends string>(
    label: string,
    name: string,
    options: readonly (readonly [V, MessageKey])[],
    current: V,
    set: (v: V) => void,
  ) {
    return html`<label class="field"
      >${label}
      <select
        class=${name}
        @change=${(e: Event) => {
          const chosen = options.find(([v]) => v === value(e));
          if (chosen) set(chosen[0]);
        }}
      >
        ${options.map(([v, key]) => html`<option value=${v} .selected=${live(v === current)}>${t(key)}</option>`)}
      </select>
    </label>`;
  }

  private async load(): Promise<void> {
    const phone = this.phone;
    if (!phone) return;
    this.drafts = undefined;
    this.loadError = undefined;
    try {
      const rules = await phone.forwarding();
      if (phone !== this.phone) return;
      this.drafts = rules.map((r) => this.draftOf(r));
      this.dirty = false;
      this.message = undefined;
    } catch (err) {
      if (phone === this.phone) this.loadError = errorKey(err);
    }
  }

  private draftOf(rule: ForwardRule): Draft {
    return { key: this.nextKey++, ...rule };
  }

  private edit(d: Draft, patch: Partial<Omit<Draft, 'key'>>): void {
    Object.assign(d, patch);
    this.changed();
    this.requestUpdate();
  }

  private changed(): void {
    this.dirty = true;
    this.message = undefined;
  }

  /** On leaving the field: "+49 (0)89 1234-5" → "+498912345", like the dial input. */
  private tidy(d: Draft, input: HTMLInputElement): void {
    const cleaned = cleanNumber(input.value);
    if (cleaned.ok && cleaned.number !== d.target) this.edit(d, { target: cleaned.number });
  }

  private readonly add = async (): Promise<void> => {
    const line = this.phone?.lines[0]?.id;
    const drafts = this.drafts;
    if (line === undefined || drafts === undefined || drafts.length >= MAX_FORWARD_RULES) return;
    const d = this.draftOf({ line, when: 'always', calls: 'all', target: '', enabled: true });
    this.drafts = [...drafts, d];
    this.changed();
    await this.updateComplete;
    this.control(drafts.length, 'select.line')?.focus();
  };

  private removeRule(d: Draft): void {
    this.drafts = this.drafts?.filter((x) => x !== d);
    this.changed();
    // The button went with its rule: keep the keyboard in the list.
    void this.updateComplete.then(() =>
      this.shadowRoot?.querySelector<HTMLButtonElement>('button.add')?.focus(),
    );
  }

  private readonly save = async (): Promise<void> => {
    const phone = this.phone;
    const drafts = this.drafts;
    if (!phone || !drafts || this.saving) return;
    const rules: ForwardRule[] = [];
    for (const [i, d] of drafts.entries()) {
      const cleaned = cleanNumber(d.target);
      if (!cleaned.ok) {
        const key =
          cleaned.error === 'empty' ? 'forwarding.targetEmpty' : 'forwarding.targetInvalid';
        await this.fail(t(key, { n: i + 1 }), i, 'input.target');
        return;
      }
      d.target = cleaned.number;
      rules.push({
        line: d.line,
        when: d.when,
        calls: d.calls,
        target: d.target,
        enabled: d.enabled,
      });
    }
    this.saving = true;
    this.message = undefined;
    try {
      const kept = await phone.setForwarding(rules);
      this.drafts = kept.map((r) => this.draftOf(r));
      this.dirty = false;
      this.message = { kind: 'saved' };
    } catch (err) {
      await this.refused(err);
    } finally {
      this.saving = false;
    }
  };

  /** The gateway's reason, at the rule it names; other failures in the usual words. */
  private async refused(err: unknown): Promise<void> {
    const key = errorKey(err);
    const text = err instanceof Error ? err.message : '';
    if (key !== 'error.failed' || text === '') {
      await this.fail(t(key));
      return;
    }
    const m = RULE_REFUSAL.exec(text);
    const index = m ? Number(m[1]) : NaN;
    if (!m || !Number.isInteger(index) || index >= (this.drafts?.length ?? 0)) {
      await this.fail(t('forwarding.refused', { reason: text }));
      return;
    }
    const reason = m[2] ?? '';
    const field = reason.startsWith('line') ? 'select.line' : 'input.target';
    await this.fail(t('forwarding.refusedRule', { n: index + 1, reason }), index, field);
  }

  private async fail(text: string, rule?: number, field?: string): Promise<void> {
    this.message = { kind: 'error', text, rule };
    if (rule === undefined || field === undefined) return;
    await this.updateComplete;
    this.control(rule, field)?.focus();
  }

  private control(rule: number, selector: string): HTMLElement | null | undefined {
    return this.shadowRoot?.querySelector<HTMLElement>(`fieldset[data-rule="${rule}"] ${selector}`);
  }
}

const value = (e: Event): string => (e.target as HTMLInputElement | HTMLSelectElement).value;

declare global {
  interface HTMLElementTagNameMap {
    'lg-forwarding': LgForwarding;
  }
}
