import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { FakePhone, LINE_A, LINE_B } from '../../test-support/fake-phone.ts';
import { $, $$, cleanup, mount, text } from '../../test-support/helpers.ts';
import { LgLines, effectiveLine } from './lg-lines.ts';

async function linesView(selected?: string) {
  const phone = new FakePhone();
  const el = new LgLines();
  el.phone = phone;
  el.selected = selected;
  await mount(el);
  return { el, phone };
}

describe('lg-lines', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('lists the lines with their state as a labelled radio group', async () => {
    const { el } = await linesView();
    expect(text($(el, 'legend'))).to.equal('Line for outgoing calls');
    const rows = $$(el, 'label').map(text);
    expect(rows[0]).to.equal('Sales 201 Ready');
    expect(rows[1]).to.equal('202 Not registered at the PBX');
    const radios = $$(el, 'input[type=radio]') as HTMLInputElement[];
    expect(radios.map((r) => r.checked)).to.deep.equal([true, false]);
  });

  it('shows live changes: in use, ringing, registration', async () => {
    const { el, phone } = await linesView();
    phone.updateLine(LINE_A.id, { active: 1, ringing: 1 });
    phone.updateLine(LINE_B.id, { registered: true });
    await el.updateComplete;
    const rows = $$(el, 'label').map(text);
    expect(rows[0]).to.equal('Sales 201 Ready In use Ringing');
    expect(rows[1]).to.equal('202 Ready');
  });

  it('chooses a line with the keyboard and says so', async () => {
    const { el } = await linesView();
    const chosen: string[] = [];
    el.addEventListener('lg-line', (e) => chosen.push(e.detail.id));
    ($$(el, 'input[type=radio]')[0] as HTMLInputElement).focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(chosen).to.deep.equal([LINE_B.id]);
    expect(el.selected).to.equal(LINE_B.id);
  });

  it('falls back to the first line when the chosen one is gone', async () => {
    expect(effectiveLine([LINE_A, LINE_B], 'gone/1')).to.equal(LINE_A.id);
    expect(effectiveLine([LINE_A, LINE_B], LINE_B.id)).to.equal(LINE_B.id);
    expect(effectiveLine([], 'x')).to.equal(undefined);
    const { el } = await linesView('gone/1');
    expect(($$(el, 'input')[0] as HTMLInputElement).checked).to.equal(true);
  });

  it('says when the user has no lines', async () => {
    const { el, phone } = await linesView();
    phone.setLines([]);
    await el.updateComplete;
    expect(text(el.shadowRoot!)).to.contain('No lines are assigned to you');
  });

  it('toggles do-not-disturb of a line and shows it', async () => {
    const { el, phone } = await linesView();
    const toggle = $$(el, 'button.dnd-toggle')[0] as HTMLButtonElement;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    expect(toggle.getAttribute('aria-label')).to.equal('Do not disturb on line Sales');
    toggle.click();
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    expect(phone.commands('setDnd')).to.deep.equal([[{ lineId: LINE_A.id, on: true }]]);
    const again = $$(el, 'button.dnd-toggle')[0] as HTMLButtonElement;
    expect(again.getAttribute('aria-pressed')).to.equal('true');
    expect(text($$(el, 'label')[0] as Element)).to.contain('Do not disturb');
  });

  it('a refused do-not-disturb change is reported, not swallowed', async () => {
    const { el, phone } = await linesView();
    const errors: unknown[] = [];
    el.addEventListener('lg-error', (e) => errors.push(e.detail));
    phone.failNext('setDnd', 'network');
    ($$(el, 'button.dnd-toggle')[0] as HTMLButtonElement).click();
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).to.deep.equal([{ key: 'error.network' }]);
  });
});
