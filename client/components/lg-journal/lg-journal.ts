import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatDateTime, t } from '../../i18n/index.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import type { JournalPage, Phone } from '../../phone/types.ts';
import { errorKey } from '../../app/end-reason.ts';
import { reportError } from '../../app/errors.ts';
import { lineName } from '../../app/format.ts';
import { isMissed, type CallHistory } from '../../app/history.ts';
import { PhoneController, SubscriptionController } from '../../app/phone-controller.ts';
import { listStyles } from '../../styles/lists.ts';
import { shared } from '../../styles/shared.ts';
import { icons } from '../icons.ts';
import { gatewayRow, localRow, type JournalRow } from './journal-rows.ts';

export interface CallBackDetail {
  readonly number: string;
  readonly line?: string;
}

/**
 * The calls of the user's lines and their own from the gateway's journal
 * (GET /api/journal through Phone.journal), filtered there (missed, line),
 * a page at a time, with numbers as at their line's location, who
 * forwarded or picked up a call, and "call back" (fires `lg-call-back`
 * with the number as it came; the shell places the call). When the
 * gateway cannot be reached it shows this device's own history instead,
 * and says so; it tries again on a filter change, "Try again", or when the
 * phone connects again. A call that ends while it is shown reloads the
 * first page.
 */
@customElement('lg-journal')
export class LgJournal extends LitElement {
  static override styles = [
    shared,
    listStyles,
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
      .note {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        margin: 0 0 1rem;
      }
      .note p {
        margin: 0;
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
  /** Entries per request. */
  @property({ type: Number }) pageSize = 50;

  @state() private missedOnly = false;
  @state() private line = '';
  /** The gateway's entries so far; undefined before the first answer and in the fallback. */
  @state() private page: JournalPage | undefined;
  @state() private loading = false;
  /** The gateway could not be asked: the device's history is shown. */
  @state() private fallback = false;

  /** Bumped per request: answers to older ones are dropped. */
  private request = 0;
  private seenPhone: Phone | undefined;
  private seenEnded = new Set<string>();
  private wasConnected = false;

  private readonly phoneCtl = new PhoneController(this, (phone) => this.phoneChanged(phone));
  private readonly historyCtl = new SubscriptionController(this, () => this.history);
  private readonly i18n = new LocaleController(this);

  override render() {
    const lines = this.phone?.lines ?? [];
    const rows = this.fallback
      ? this.localRows()
      : (this.page?.entries ?? []).map((e) => gatewayRow(e, this.phone?.user?.username, lines));
    const filtered = this.missedOnly || this.line !== '';
    const waiting = !this.fallback && this.page === undefined;
    return html`<h2>${t('journal.title')}</h2>
      <div class="filters">
        <fieldset>
          <legend>${t('journal.filter')}</legend>
          ${this.renderSeg(false, t('journal.all'))} ${this.renderSeg(true, t('journal.missed'))}
        </fieldset>
        ${this.renderLineFilter()}
      </div>
      ${
        this.fallback
          ? html`<div class="note">
              <p class="muted" role="status">${t('journal.fallback')}</p>
              <button type="button" @click=${() => void this.load()}>${t('journal.retry')}</button>
            </div>`
          : nothing
      }
      ${
        rows.length
          ? html`<ul aria-label=${t('journal.title')} aria-busy=${this.loading ? 'true' : 'false'}>
              ${rows.map((r) => this.renderRow(r))}
            </ul>`
          : html`<p class="muted" role="status">
              ${waiting ? t('journal.loading') : t(filtered ? 'journal.emptyFiltered' : 'journal.empty')}
            </p>`
      }
      ${this.renderFooter()}`;
  }

  private renderFooter() {
    const more = !this.fallback && this.page?.next !== undefined;
    const clear = this.fallback && (this.history?.entries.length ?? 0) > 0;
    if (!more && !clear) return nothing;
    return html`<div class="footer">
      ${
        more
          ? html`<button type="button" @click=${() => void this.load(true)}>
              ${t('journal.more')}
            </button>`
          : nothing
      }
      ${clear ? html`<button type="button" @click=${this.clear}>${t('journal.clear')}</button>` : nothing}
    </div>`;
  }

  private renderSeg(missed: boolean, label: string) {
    return html`<label class="seg"
      ><input
        type="radio"
        name="which"
        .checked=${this.missedOnly === missed}
        @change=${() => this.filter(missed, this.line)}
      />${label}</label
    >`;
  }

  private renderLineFilter() {
    const lines = this.phone?.lines ?? [];
    const local = this.fallback ? (this.history?.entries ?? []).flatMap((e) => e.line ?? []) : [];
    const ids = [...new Set([...lines.map((l) => l.id), ...local])];
    if (ids.length < 2) return nothing;
    return html`<label class="line"
      >${t('journal.line')}
      <select
        @change=${(e: Event) => this.filter(this.missedOnly, (e.target as HTMLSelectElement).value)}
      >
        <option value="" ?selected=${this.line === ''}>${t('journal.allLines')}</option>
        ${ids.map(
          (id) =>
            html`<option value=${id} ?selected=${this.line === id}>${lineName(lines, id)}</option>`,
        )}
      </select>
    </label>`;
  }

  private renderRow(r: JournalRow) {
    const who = r.number ? (r.name ?? r.shown) : t('call.anonymous');
    const kind = r.missed
      ? t('journal.missedCall')
      : r.direction === 'incoming'
        ? t('journal.incoming')
        : t('journal.outgoing');
    const line = lineName(this.phone?.lines ?? [], r.line);
    return html`<li class=${r.missed ? 'missed' : ''}>
      <span class="dir" title=${kind}
        >${r.direction === 'incoming' ? icons.incoming : icons.outgoing}</span
      >
      <div class="body">
        <div class="who">${who}</div>
        <div class="meta">
          <span class="sr-only">${kind},</span>
          ${r.name && r.number ? html`${r.shown} · ` : nothing}${formatDateTime(r.at)}
          ${line ? html` · ${line}` : nothing} · ${r.outcome}${r.by ? html` · ${r.by}` : nothing}
        </div>
      </div>
      ${
        r.number
          ? html`<button
              type="button"
              aria-label=${t('journal.callBackLabel', { caller: who })}
              title=${t('journal.callBackLabel', { caller: who })}
              @click=${() => this.callBack(r)}
            >
              ${icons.phone}<span class="sr-only">${t('journal.callBack')}</span>
            </button>`
          : nothing
      }
    </li>`;
  }

  /** The device's own history, filtered here as the gateway would. */
  private localRows(): JournalRow[] {
    return (this.history?.entries ?? [])
      .filter((e) => (!this.missedOnly || isMissed(e)) && (!this.line || e.line === this.line))
      .map((e) => localRow(e, this.phone?.lines ?? []));
  }

  private filter(missedOnly: boolean, line: string): void {
    this.missedOnly = missedOnly;
    this.line = line;
    void this.load();
  }

  /** The first page for the filters, or (`more`) the next one. */
  private async load(more = false): Promise<void> {
    const phone = this.phone;
    // A second "Load more" while one is under way would fetch the same page.
    if (phone === undefined || (more && this.loading)) return;
    const id = ++this.request;
    const before = more ? this.page?.next : undefined;
    this.loading = true;
    try {
      const page = await phone.journal({
        limit: this.pageSize,
        ...(this.missedOnly ? { result: 'missed' as const } : {}),
        ...(this.line ? { line: this.line } : {}),
        ...(before === undefined ? {} : { before }),
      });
      if (id !== this.request) return;
      const entries = more ? [...(this.page?.entries ?? []), ...page.entries] : page.entries;
      this.page = page.next === undefined ? { entries } : { entries, next: page.next };
      this.fallback = false;
    } catch (err) {
      if (id !== this.request) return;
      if (more) {
        reportError(this, { key: errorKey(err) });
      } else {
        this.page = undefined;
        this.fallback = true;
      }
    } finally {
      if (id === this.request) this.loading = false;
    }
  }

  /** Loads for a new phone, after a call ended, and when back online after a failure. */
  private phoneChanged(phone: Phone): void {
    const ended = phone.calls.filter((c) => c.state === 'ended' && !this.seenEnded.has(c.id));
    for (const c of ended) this.seenEnded.add(c.id);
    const connected = phone.connection === 'connected';
    const back = connected && !this.wasConnected && this.fallback;
    this.wasConnected = connected;
    if (phone !== this.seenPhone) {
      this.seenPhone = phone;
      void this.load();
    } else if (ended.length > 0 || back) {
      void this.load();
    }
  }

  private callBack(r: JournalRow): void {
    const detail: CallBackDetail = r.line
      ? { number: r.number, line: r.line }
      : { number: r.number };
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
