import { expect } from '@esm-bundle/chai';
import { setLocalePref } from '../../i18n/index.ts';
import { CallHistory, type HistoryEntry } from '../../app/history.ts';
import { FakePhone } from '../../test-support/fake-phone.ts';
import { $, $$, button, cleanup, mount, text } from '../../test-support/helpers.ts';
import { LgJournal, type CallBackDetail } from './lg-journal.ts';

const KEY = 'linegate.history.journal-test';
const T0 = Date.UTC(2026, 10, 20, 9, 30);

const ENTRIES: readonly HistoryEntry[] = [
  {
    id: 'a',
    direction: 'incoming',
    number: '0891234',
    name: 'Bob',
    line: 'hfo/201',
    startedAt: T0,
    endedAt: T0 + 5000,
    reason: 'missed',
  },
  {
    id: 'b',
    direction: 'outgoing',
    number: '202',
    line: 'hfo/202',
    startedAt: T0 - 60_000,
    answeredAt: T0 - 55_000,
    endedAt: T0 - 55_000 + 83_000,
    reason: 'local-hangup',
  },
  {
    id: 'c',
    direction: 'incoming',
    number: '',
    line: 'hfo/201',
    startedAt: T0 - 120_000,
    answeredAt: T0 - 119_000,
    endedAt: T0 - 100_000,
    reason: 'remote-hangup',
  },
  {
    id: 'd',
    direction: 'outgoing',
    number: '0301',
    line: 'hfo/201',
    startedAt: T0 - 180_000,
    endedAt: T0 - 179_000,
    reason: 'busy',
    status: 486,
  },
];

async function journal(entries: readonly HistoryEntry[] = ENTRIES) {
  localStorage.removeItem(KEY);
  const history = new CallHistory(KEY);
  for (const e of [...entries].reverse()) history.add(e);
  const phone = new FakePhone();
  phone.connection = 'connected';
  const el = new LgJournal();
  el.phone = phone;
  el.history = history;
  await mount(el);
  return { el, history, phone };
}

const rows = (el: LgJournal) => $$(el, 'li .who').map(text);

describe('lg-journal', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('lists the history newest first with direction, line, time and outcome', async () => {
    const { el } = await journal();
    expect(rows(el)).to.deep.equal(['Bob', '202', 'Anonymous', '0301']);
    const meta = $$(el, 'li .meta').map(text);
    expect(meta[0]).to.match(/^Missed, 0891234 · .+ · Sales \(201\) · Not answered$/);
    expect(meta[1]).to.match(/^Outgoing, .+ · 202 · 1:23$/);
    expect(meta[3]).to.match(/The number is busy\.$/);
    expect($$(el, 'li')[0]!.classList.contains('missed')).to.equal(true);
  });

  it('filters missed calls and by line', async () => {
    const { el } = await journal();
    ($$(el, 'input[type=radio]')[1] as HTMLInputElement).click();
    await el.updateComplete;
    expect(rows(el)).to.deep.equal(['Bob']);
    ($$(el, 'input[type=radio]')[0] as HTMLInputElement).click();
    const select = $(el, 'select') as HTMLSelectElement;
    expect(select.labels[0]?.textContent).to.contain('Line');
    select.value = 'hfo/202';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(rows(el)).to.deep.equal(['202']);
    ($$(el, 'input[type=radio]')[1] as HTMLInputElement).click();
    await el.updateComplete;
    expect(text($(el, '[role=status]'))).to.equal('No calls match the filter.');
  });

  it('calls back (not anonymous callers) through an event', async () => {
    const { el } = await journal();
    const asked: CallBackDetail[] = [];
    el.addEventListener('lg-call-back', (e) => asked.push(e.detail));
    expect($$(el, 'li button').length).to.equal(3);
    button(el, 'Call back Bob').click();
    expect(asked).to.deep.equal([{ number: '0891234', line: 'hfo/201' }]);
  });

  it('updates when a call is recorded, and clears after confirmation', async () => {
    const { el, history } = await journal([]);
    expect(text($(el, '[role=status]'))).to.equal('No calls yet.');
    history.add(ENTRIES[1]!);
    await el.updateComplete;
    expect(rows(el)).to.deep.equal(['202']);
    const confirm = window.confirm.bind(window);
    window.confirm = () => true;
    try {
      button(el, 'Clear history').click();
    } finally {
      window.confirm = confirm;
    }
    await el.updateComplete;
    expect(history.entries).to.deep.equal([]);
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await journal();
    expect(text($(el, 'h2'))).to.equal('Anrufe');
    expect(text(el.shadowRoot!)).to.contain('Verpasst');
    expect(button(el, 'Bob zurückrufen')).to.be.instanceOf(HTMLButtonElement);
  });
});
