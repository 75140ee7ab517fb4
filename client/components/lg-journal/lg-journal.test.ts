import { expect } from '@esm-bundle/chai';
import { setLocalePref } from '../../i18n/index.ts';
import { CallHistory, type HistoryEntry } from '../../app/history.ts';
import { ERROR_EVENT, type ErrorDetail } from '../../app/errors.ts';
import { FakePhone, MUNICH } from '../../test-support/fake-phone.ts';
import type { JournalSeed } from '../../test-support/fake-journal.ts';
import { $, $$, button, cleanup, mount, settle, text } from '../../test-support/helpers.ts';
import { LgJournal, type CallBackDetail } from './lg-journal.ts';

const KEY = 'linegate.history.journal-test';
const T0 = Date.UTC(2026, 10, 20, 9, 30);

/** The gateway's journal: newest first. */
const GATEWAY: readonly JournalSeed[] = [
  { remoteNumber: '0891234', remoteName: 'Bob', line: 'hfo/201', at: T0, result: 'missed' },
  {
    direction: 'outgoing',
    remoteNumber: '202',
    line: 'hfo/202',
    user: 'alice',
    at: T0 - 60_000,
    answeredAt: T0 - 55_000,
    endedAt: T0 - 55_000 + 83_000,
    result: 'answered',
  },
  {
    remoteNumber: '',
    line: 'hfo/201',
    user: 'carol',
    at: T0 - 120_000,
    answeredAt: T0 - 119_000,
    endedAt: T0 - 100_000,
    result: 'answered',
  },
  { direction: 'outgoing', remoteNumber: '0301', at: T0 - 180_000, result: 'busy', status: 486 },
  { remoteNumber: '0302', at: T0 - 240_000, result: 'declined', status: 603 },
  { direction: 'outgoing', remoteNumber: '0303', at: T0 - 300_000, result: 'not-found' },
  { direction: 'outgoing', remoteNumber: '0304', at: T0 - 360_000, result: 'unavailable' },
  {
    remoteNumber: '0305',
    at: T0 - 420_000,
    answeredAt: T0 - 419_000,
    endedAt: T0 - 400_000,
    result: 'interrupted',
  },
];

/** The device's own history, for the fallback. */
const LOCAL: readonly HistoryEntry[] = [
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
];

async function journal(
  opts: {
    gateway?: readonly JournalSeed[];
    local?: readonly HistoryEntry[];
    fail?: boolean;
    pageSize?: number;
    /** hfo/201 is in Munich. */
    munich?: boolean;
  } = {},
) {
  localStorage.removeItem(KEY);
  const history = new CallHistory(KEY);
  for (const e of [...(opts.local ?? LOCAL)].reverse()) history.add(e);
  const phone = new FakePhone();
  if (opts.munich) phone.updateLine('hfo/201', { location: MUNICH });
  phone.connection = 'connected';
  phone.user = { username: 'alice', displayName: 'Alice' };
  phone.journalStore.add(...(opts.gateway ?? GATEWAY));
  if (opts.fail) phone.failNext('journal', 'network');
  const el = new LgJournal();
  el.phone = phone;
  el.history = history;
  if (opts.pageSize !== undefined) el.pageSize = opts.pageSize;
  await mount(el);
  await settle(el);
  return { el, history, phone };
}

const rows = (el: LgJournal) => $$(el, 'li .who').map(text);
const meta = (el: LgJournal) => $$(el, 'li .meta').map(text);
const radio = (el: LgJournal, i: number) => $$(el, 'input[type=radio]')[i] as HTMLInputElement;

async function chooseLine(el: LgJournal, id: string): Promise<void> {
  const select = $(el, 'select') as HTMLSelectElement;
  select.value = id;
  select.dispatchEvent(new Event('change'));
  await settle(el);
}

describe('lg-journal', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it("lists the gateway's journal with direction, line, time, duration and result", async () => {
    const { el, phone } = await journal();
    expect(phone.commands('journal')).to.deep.equal([[{ limit: 50 }]]);
    expect(rows(el)).to.deep.equal([
      'Bob',
      '202',
      'Anonymous',
      '0301',
      '0302',
      '0303',
      '0304',
      '0305',
    ]);
    const m = meta(el);
    expect(m[0]).to.match(/^Missed, 0891234 · .+ · Sales \(201\) · Not answered$/);
    expect(m[1]).to.match(/^Outgoing, .+ · 202 · 1:23$/);
    expect(m[2]).to.match(/^Incoming, .+ · Sales \(201\) · 0:19 · answered by carol$/);
    expect(m[3]).to.match(/ · Busy$/);
    expect(m[4]).to.match(/ · Declined$/);
    expect(m[5]).to.match(/ · Number does not exist$/);
    expect(m[6]).to.match(/ · Not reachable$/);
    expect(m[7]).to.match(/ · 0:19 · Interrupted$/);
    const items = $$(el, 'li');
    expect(items.map((li) => li.classList.contains('missed'))).to.deep.equal([
      true,
      ...Array<boolean>(7).fill(false),
    ]);
    expect($(el, 'ul').getAttribute('aria-label')).to.equal('Calls');
    expect(text(el.shadowRoot!)).not.to.contain('this device');
    expect(el.shadowRoot!.querySelector('.note') === null, 'no .note').to.equal(true);
  });

  it('asks the gateway for missed calls and for one line', async () => {
    const { el, phone } = await journal();
    radio(el, 1).click();
    await settle(el);
    expect(phone.commands('journal').at(-1)).to.deep.equal([{ limit: 50, result: 'missed' }]);
    expect(rows(el)).to.deep.equal(['Bob']);
    radio(el, 0).click();
    await settle(el);
    expect(($(el, 'select') as HTMLSelectElement).labels[0]?.textContent).to.contain('Line');
    await chooseLine(el, 'hfo/202');
    expect(phone.commands('journal').at(-1)).to.deep.equal([{ limit: 50, line: 'hfo/202' }]);
    expect(rows(el)).to.deep.equal(['202']);
    radio(el, 1).click();
    await settle(el);
    expect(phone.commands('journal').at(-1)).to.deep.equal([
      { limit: 50, result: 'missed', line: 'hfo/202' },
    ]);
    expect(text($(el, '[role=status]'))).to.equal('No calls match the filter.');
  });

  it('loads more with `next` until the last page', async () => {
    const { el, phone } = await journal({ pageSize: 3 });
    expect(rows(el)).to.deep.equal(['Bob', '202', 'Anonymous']);
    button(el, 'Load more').click();
    await settle(el);
    expect(phone.commands('journal').at(-1)).to.deep.equal([{ limit: 3, before: T0 - 120_000 }]);
    expect(rows(el)).to.have.length(6);
    button(el, 'Load more').click();
    await settle(el);
    expect(rows(el)).to.have.length(8);
    expect(() => button(el, 'Load more')).to.throw();
  });

  it('reports a failed "Load more" and keeps what it has', async () => {
    const { el, phone } = await journal({ pageSize: 2 });
    const errors: ErrorDetail[] = [];
    el.addEventListener(ERROR_EVENT, (e) => errors.push(e.detail));
    phone.failNext('journal', 'network');
    button(el, 'Load more').click();
    await settle(el);
    expect(errors).to.deep.equal([{ key: 'error.network' }]);
    expect(rows(el)).to.deep.equal(['Bob', '202']);
    expect(el.shadowRoot!.querySelector('.note') === null, 'no .note').to.equal(true);
  });

  it('reloads when a call ends', async () => {
    const { el, phone } = await journal({ gateway: [] });
    expect(text($(el, '[role=status]'))).to.equal('No calls yet.');
    const id = await phone.call('0891');
    phone.journalStore.add({ direction: 'outgoing', remoteNumber: '0891', at: T0 + 1 });
    await phone.hangup(id);
    await settle(el);
    expect(rows(el)).to.deep.equal(['0891']);
  });

  it("falls back to the device's history when the gateway cannot be reached", async () => {
    const { el, history, phone } = await journal({ fail: true });
    expect(text($(el, '.note [role=status]'))).to.equal(
      "The gateway's call journal cannot be reached. Showing the calls of this device only.",
    );
    expect(rows(el)).to.deep.equal(['Bob', '202']);
    expect(meta(el)[0]).to.match(/^Missed, 0891234 · .+ · Sales \(201\) · Not answered$/);
    // Filters work on the local history meanwhile (and ask the gateway again).
    phone.failNext('journal', 'network');
    radio(el, 1).click();
    await settle(el);
    expect(rows(el)).to.deep.equal(['Bob']);
    phone.failNext('journal', 'network');
    radio(el, 0).click();
    await settle(el);
    // Still local, until "Try again" reaches the gateway.
    phone.failNext('journal', 'failed');
    button(el, 'Try again').click();
    await settle(el);
    expect(rows(el)).to.deep.equal(['Bob', '202']);
    button(el, 'Try again').click();
    await settle(el);
    expect(rows(el)).to.have.length(8);
    expect(el.shadowRoot!.querySelector('.note') === null, 'no .note').to.equal(true);
    expect(history.entries).to.have.length(2);
  });

  it('tries the gateway again when the phone is connected again', async () => {
    const { el, phone } = await journal({ fail: true });
    expect(rows(el)).to.have.length(2);
    phone.setConnection('reconnecting');
    phone.setConnection('connected');
    await settle(el);
    expect(rows(el)).to.have.length(8);
  });

  it('calls back (not anonymous callers) through an event', async () => {
    const { el } = await journal();
    const asked: CallBackDetail[] = [];
    el.addEventListener('lg-call-back', (e) => asked.push(e.detail));
    expect($$(el, 'li button').length).to.equal(7);
    button(el, 'Call back Bob').click();
    expect(asked).to.deep.equal([{ number: '0891234', line: 'hfo/201' }]);
  });

  it("shows numbers as at their line's location, and calls back the number as it came", async () => {
    const { el } = await journal({
      munich: true,
      gateway: [
        { remoteNumber: '+49891234567', line: 'hfo/201', at: T0 },
        { remoteNumber: '+49891234567', remoteName: 'Bob', line: 'hfo/201', at: T0 - 1000 },
        { remoteNumber: '+498912345205', line: 'hfo/201', at: T0 - 2000 },
        {
          remoteNumber: '+4930123456',
          line: 'hfo/201',
          at: T0 - 3000,
          result: 'forwarded',
          forwardedTo: '+49897654321',
        },
        { remoteNumber: '+49891234567', line: 'hfo/202', at: T0 - 4000 },
      ],
    });
    expect(rows(el)).to.deep.equal([
      '+49 89 1234567',
      'Bob',
      '205',
      '+49 30123456',
      '+49891234567',
    ]);
    expect(meta(el)[1]).to.match(/^Incoming, \+49 89 1234567 · /);
    expect(meta(el)[3]).to.match(/ · Forwarded to \+49 89 7654321$/);
    const asked: CallBackDetail[] = [];
    el.addEventListener('lg-call-back', (e) => asked.push(e.detail));
    button(el, 'Call back +49 89 1234567').click();
    button(el, 'Call back 205').click();
    expect(asked).to.deep.equal([
      { number: '+49891234567', line: 'hfo/201' },
      { number: '+498912345205', line: 'hfo/201' },
    ]);
  });

  it("shows the device's own calls at their line's location too", async () => {
    const { el } = await journal({
      munich: true,
      fail: true,
      local: [
        {
          id: 'a',
          direction: 'incoming',
          number: '+49891234567',
          line: 'hfo/201',
          startedAt: T0,
          endedAt: T0 + 5000,
          reason: 'missed',
        },
        {
          id: 'b',
          direction: 'outgoing',
          number: '+49891234567',
          line: 'hfo/202',
          startedAt: T0 - 1000,
          endedAt: T0,
          reason: 'busy',
        },
      ],
    });
    expect(rows(el)).to.deep.equal(['+49 89 1234567', '+49891234567']);
    const asked: CallBackDetail[] = [];
    el.addEventListener('lg-call-back', (e) => asked.push(e.detail));
    button(el, 'Call back +49 89 1234567').click();
    expect(asked).to.deep.equal([{ number: '+49891234567', line: 'hfo/201' }]);
  });

  it('says who forwarded a call and who picked it up', async () => {
    const { el } = await journal({
      gateway: [
        { at: T0, result: 'forwarded', forwardedTo: '0891234', forwardedBy: 'bob' },
        { at: T0 - 1000, result: 'forwarded', forwardedBy: 'bob' },
        { at: T0 - 2000, result: 'forwarded', forwardedTo: '0891234' },
        { at: T0 - 3000, result: 'forwarded' },
        { at: T0 - 4000, user: 'carol', pickedUp: true },
        { at: T0 - 5000, user: 'alice', pickedUp: true },
        { at: T0 - 6000, user: 'alice' },
      ],
    });
    const m = meta(el);
    expect(m[0]).to.match(/ · Forwarded to 0891234 by bob$/);
    expect(m[1]).to.match(/ · Forwarded by bob$/);
    expect(m[2]).to.match(/ · Forwarded to 0891234$/);
    expect(m[3]).to.match(/ · Forwarded$/);
    expect(m[4]).to.match(/ · 1:00 · picked up by carol$/);
    expect(m[5]).to.match(/ · 1:00 · picked up by alice$/);
    expect(m[6]).to.match(/ · 1:00$/);
  });

  it('clears the local history in the fallback after confirmation', async () => {
    const { el, history } = await journal({ fail: true });
    const confirm = window.confirm.bind(window);
    window.confirm = () => true;
    try {
      button(el, 'Clear history').click();
    } finally {
      window.confirm = confirm;
    }
    await el.updateComplete;
    expect(history.entries).to.deep.equal([]);
    expect($$(el, '[role=status]').map(text)).to.include('No calls yet.');
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await journal();
    expect(text($(el, 'h2'))).to.equal('Anrufe');
    expect(text(el.shadowRoot!)).to.contain('Verpasst');
    expect(meta(el)[2]).to.match(/ · angenommen von carol$/);
    expect(meta(el)[3]).to.match(/ · Besetzt$/);
    expect(meta(el)[5]).to.match(/ · Rufnummer existiert nicht$/);
    expect(button(el, 'Bob zurückrufen')).to.be.instanceOf(HTMLButtonElement);
    const { el: more } = await journal({
      gateway: [
        { at: T0, result: 'forwarded', forwardedTo: '0891234', forwardedBy: 'bob' },
        { at: T0 - 1000, user: 'carol', pickedUp: true },
      ],
    });
    expect(meta(more)[0]).to.match(/ · Von bob weitergeleitet an 0891234$/);
    expect(meta(more)[1]).to.match(/ · übernommen von carol$/);
    const { el: offline } = await journal({ fail: true });
    expect(text($(offline, '.note'))).to.contain('nicht erreichbar');
    expect(button(offline, 'Erneut versuchen')).to.be.instanceOf(HTMLButtonElement);
  });
});
