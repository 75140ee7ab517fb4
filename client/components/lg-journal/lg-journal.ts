import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatDateTime, t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { Phone } from '../../phone/types.ts';
import { endReasonKey } from '../../app/end-reason.ts';
import { formatDuration, lineName } from '../../app/format.ts';
import { isMissed, type CallHistory, type HistoryEntry } from '../../app/history.ts';
import { PhoneController, SubscriptionController } from '../../app/phone-controller.ts';
import { shared } from '../../styles/shared.ts';
import { icons } from '../icons.ts';

export interface CallBackDetail {
  readonly number: string;
  readonly line?: string;
}

/**
 * The call history of this device with filters (missed, line) and "call
 * back" (fires `lg-call-back`; the shell places the call).
 */
@customElement('lg-journal')
export class LgJournal extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
        display: flex;
        gap: 0.3rem;
      }
      legend,
      label {
        font-weight: 600;
      }
      legend {
        padding: 0;
        margin-bottom: 0.3rem;
      }
      .seg {
        display: inline-flex;
        align-items: center;
        gap: 0.3rem;
        min-height: var(--lg-touch);
        padding: 0 0.75rem;
        border: 1px solid var(--lg-border);
        border-radius: 999px;
        font-weight: normal;
        cursor: pointer;
      }
      .seg:has(input:checked) {
        background: var(--lg-text);
        color: var(--lg-surface);
      }
      .seg input {
        min-height: 0;
        margin: 0;
      }
      label.line {
        display: grid;
        gap: 0.3rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.4rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--lg-border);
        border-radius: var(--lg-radius);
        background: var(--lg-surface);
      }
      .dir {
        flex: none;
        color: var(--lg-muted);
      }
      .missed .dir,
      .missed .who {
        color: var(--lg-danger);
      }
      .body {
        flex: 1;
        min-width: 0;
      }
      .who {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta {
        font-size: 0.85rem;
        color: var(--lg-muted);
      }
      .footer {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
        margin-top: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) phone?: Phone | undefined;
  @property({ attribute: false }) history?: CallHistory | undefined;

  @state() private missedOnly = false;
  @state() private line = '';

  private readonly phoneCtl = new PhoneController(this);
  private readonly historyCtl = new SubscriptionController(this, () => this.history);
  private readonly i18n = new LocaleController(this);

  override render() {
    const all = this.history?.entries ?? [];
    const shown = all.filter(
      (e) => (!this.missedOnly || isMissed(e)) && (!this.line || e.line === this.line),
    );
    return html`<h2>${t('journal.title')}</h2>
      <div class="filters">
        <fieldset>
          <legend>${t('journal.filter')}</legend>
          ${this.renderSeg(false, t('journal.all'))} ${this.renderSeg(true, t('journal.missed'))}
        </fieldset>
        ${this.renderLineFilter(all)}
      </div>
      ${
        shown.length
          ? html`<ul>
              ${shown.map((e) => this.renderEntry(e))}
            </ul>`
          : html`<p class="muted" role="status">
              ${all.length ? t('journal.emptyFiltered') : t('journal.empty')}
            </p>`
      }
      <div class="footer">
        <p class="muted">${t('journal.note')}</p>
        ${
          all.length
            ? html`<button type="button" @click=${this.clear}>${t('journal.clear')}</button>`
            : nothing
        }
      </div>`;
  }

  private renderSeg(missed: boolean, label: string) {
    return html`<label class="seg"
      ><input
        type="radio"
        name="which"
        .checked=${this.missedOnly === missed}
        @change=${() => (this.missedOnly = missed)}
      />${label}</label
    >`;
  }

  private renderLineFilter(all: readonly HistoryEntry[]) {
    const lines = this.phone?.lines ?? [];
    const ids = [...new Set([...lines.map((l) => l.id), ...all.flatMap((e) => e.line ?? [])])];
    if (ids.length < 2) return nothing;
    return html`<label class="line"
      >${t('journal.line')}
      <select @change=${(e: Event) => (this.line = (e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${this.line === ''}>${t('journal.allLines')}</option>
        ${ids.map(
          (id) =>
            html`<option value=${id} ?selected=${this.line === id}>${lineName(lines, id)}</option>`,
        )}
      </select>
    </label>`;
  }

  private renderEntry(e: HistoryEntry) {
    const missed = isMissed(e);
    const who = e.number ? (e.name ?? e.number) : t('call.anonymous');
    const kind = missed
      ? t('journal.missedCall')
      : e.direction === 'incoming'
        ? t('journal.incoming')
        : t('journal.outgoing');
    const answered = e.answeredAt !== undefined;
    const outcome = answered
      ? formatDuration(e.endedAt - (e.answeredAt ?? e.endedAt))
      : e.direction === 'outgoing' || !missed
        ? t(endReasonKey(e.reason))
        : t('journal.notAnswered');
    const line = lineName(this.phone?.lines ?? [], e.line);
    return html`<li class=${missed ? 'missed' : ''}>
      <span class="dir" title=${kind}
        >${e.direction === 'incoming' ? icons.incoming : icons.outgoing}</span
      >
      <div class="body">
        <div class="who">${who}</div>
        <div class="meta">
          <span class="sr-only">${kind},</span>
          ${e.name && e.number ? html`${e.number} · ` : nothing}${formatDateTime(e.startedAt)}
          ${line ? html` · ${line}` : nothing} · ${outcome}
        </div>
      </div>
      ${
        e.number
          ? html`<button
              type="button"
              aria-label=${t('journal.callBackLabel', { caller: who })}
              title=${t('journal.callBackLabel', { caller: who })}
              @click=${() => this.callBack(e)}
            >
              ${icons.phone}<span class="sr-only">${t('journal.callBack')}</span>
            </button>`
          : nothing
      }
    </li>`;
  }

  private callBack(e: HistoryEntry): void {
    const detail: CallBackDetail = e.line
      ? { number: e.number, line: e.line }
      : { number: e.number };
    this.dispatchEvent(
      new CustomEvent<CallBackDetail>('lg-call-back', { detail, bubbles: true, composed: true }),
    );
  }

  private readonly clear = (): void => {
    if (window.confirm(t('journal.clearConfirm'))) this.history?.clear();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lg-journal': LgJournal;
  }
  interface HTMLElementEventMap {
    'lg-call-back': CustomEvent<CallBackDetail>;
  }
}
