import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { MAX_FORWARD_RULES } from '#shared/api.ts';
import { setLocalePref } from '../../i18n/index.ts';
import type { ForwardRule } from '../../phone/types.ts';
import { FakePhone, LINE_A, LINE_B } from '../../test-support/fake-phone.ts';
import {
  $,
  $$,
  button,
  cleanup,
  deepActive,
  mount,
  settle,
  text,
  until,
} from '../../test-support/helpers.ts';
import { LgForwarding } from './lg-forwarding.ts';

const RULE: ForwardRule = {
  line: LINE_A.id,
  when: 'always',
  calls: 'all',
  target: '0891234',
  enabled: true,
};

async function forwarding(rules: readonly ForwardRule[] = []) {
  const phone = new FakePhone();
  phone.connection = 'connected';
  phone.user = { username: 'alice', displayName: 'Alice' };
  phone.forwardingRules = rules;
  const el = new LgForwarding();
  el.phone = phone;
  await mount(el);
  await until(() => !text(el.shadowRoot!).includes('Loading'), 'rules loaded');
  await settle(el);
  return { el, phone };
}

const rules = (el: Element) => $$(el, 'fieldset');
const field = (el: Element, rule: number, selector: string): HTMLElement =>
  $(el, `fieldset[data-rule="${rule}"] ${selector}`);
const sel = (el: Element, rule: number, selector: string) =>
  field(el, rule, selector) as HTMLSelectElement;
const inp = (el: Element, rule: number, selector: string) =>
  field(el, rule, selector) as HTMLInputElement;

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('change'));
}

const alertText = (el: Element) => {
  const found = el.shadowRoot!.querySelector('[role=alert]');
  return found ? text(found) : '';
};
const statusText = (el: Element) => text($(el, '[role=status]'));

async function save(el: LgForwarding, phone: FakePhone): Promise<void> {
  const before = phone.commands('setForwarding').length;
  button(el, 'Save forwarding').click();
  await until(() => phone.commands('setForwarding').length > before, 'setForwarding');
  await settle(el);
  await settle(el);
}

describe('lg-forwarding', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('lists the rules from the gateway with labelled fields, and says where forwarding happens', async () => {
    const { el, phone } = await forwarding([
      RULE,
      { line: LINE_B.id, when: 'busy', calls: 'external', target: '+4930123', enabled: false },
    ]);
    expect(phone.commands('forwarding')).to.have.length(1);
    expect(text($(el, 'h3'))).to.equal('Call forwarding');
    expect(text(el.shadowRoot!)).to.contain(
      'The gateway forwards your calls even when no browser is open; a forwarding set at the PBX takes precedence.',
    );
    expect(rules(el).map((r) => text($(r, 'legend')))).to.deep.equal(['Rule 1', 'Rule 2']);
    const labels = $$(rules(el)[0]!, 'label').map((l) => text(l).split(' ')[0]);
    expect(labels).to.deep.equal(['Line', 'When', 'Calls', 'Forward', 'Active']);
    const line = sel(el, 1, 'select.line');
    expect([...line.options].map((o) => text(o))).to.deep.equal(['Sales (201)', '202']);
    expect(line.value).to.equal(LINE_B.id);
    expect(sel(el, 1, 'select.when').selectedOptions[0]?.text.trim()).to.equal('When busy');
    expect(sel(el, 1, 'select.calls').selectedOptions[0]?.text.trim()).to.equal('External calls');
    expect(inp(el, 1, 'input.target').value).to.equal('+4930123');
    expect(inp(el, 0, 'input[type=checkbox]').checked).to.equal(true);
    expect(inp(el, 1, 'input[type=checkbox]').checked).to.equal(false);
    expect(button(el, 'Remove rule 2')).to.be.instanceOf(HTMLButtonElement);
  });

  it('says when there are no rules', async () => {
    const { el } = await forwarding();
    expect(rules(el)).to.have.length(0);
    expect(text(el.shadowRoot!)).to.contain('No forwarding rules: calls reach you as usual.');
  });

  it('adds a rule with the keyboard, cleans its number like the dial input, and saves it', async () => {
    const { el, phone } = await forwarding();
    button(el, 'Add rule').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => rules(el).length === 1, 'new rule');
    await settle(el);
    expect(deepActive() === field(el, 0, 'select.line'), "focus on the new rule's line").to.equal(
      true,
    );
    expect(statusText(el)).to.equal('Changes are not saved yet.');
    inp(el, 0, 'input.target').focus();
    await sendKeys({ type: '+49 (0)89 1234-5' });
    await sendKeys({ press: 'Tab' });
    await settle(el);
    expect(inp(el, 0, 'input.target').value).to.equal('+498912345');
    await save(el, phone);
    const saved: ForwardRule = { ...RULE, target: '+498912345' };
    expect(phone.commands('setForwarding')).to.deep.equal([[[saved]]]);
    expect(phone.forwardingRules).to.deep.equal([saved]);
    expect(statusText(el)).to.equal('Forwarding saved.');
    expect(alertText(el)).to.equal('');
  });

  it('edits every part of a rule', async () => {
    const { el, phone } = await forwarding([RULE]);
    choose(sel(el, 0, 'select.line'), LINE_B.id);
    choose(sel(el, 0, 'select.when'), 'busy');
    choose(sel(el, 0, 'select.calls'), 'internal');
    type(inp(el, 0, 'input.target'), '22');
    inp(el, 0, 'input[type=checkbox]').click();
    await save(el, phone);
    expect(phone.forwardingRules).to.deep.equal([
      { line: LINE_B.id, when: 'busy', calls: 'internal', target: '22', enabled: false },
    ]);
    expect(sel(el, 0, 'select.calls').value).to.equal('internal');
  });

  it('removes a rule and keeps the keyboard in the list', async () => {
    const second: ForwardRule = { ...RULE, when: 'busy', target: '33' };
    const { el, phone } = await forwarding([RULE, second]);
    button(el, 'Remove rule 1').click();
    await settle(el);
    expect(rules(el)).to.have.length(1);
    expect(sel(el, 0, 'select.when').value).to.equal('busy');
    expect(inp(el, 0, 'input.target').value).to.equal('33');
    expect(deepActive() === button(el, 'Add rule'), 'focus on "Add rule"').to.equal(true);
    await save(el, phone);
    expect(phone.forwardingRules).to.deep.equal([second]);
    button(el, 'Remove rule 1').click();
    await save(el, phone);
    expect(phone.forwardingRules).to.deep.equal([]);
  });

  it("shows the gateway's reason for a refusal at the rule it names", async () => {
    const { el, phone } = await forwarding([RULE]);
    button(el, 'Add rule').click();
    await settle(el);
    type(inp(el, 1, 'input.target'), '1'.repeat(33));
    await save(el, phone);
    expect(alertText(el)).to.equal(
      'The gateway refused rule 2: target must be a number (digits, *, #, leading +)',
    );
    expect(field(el, 1, '').getAttribute('aria-invalid')).to.equal('true');
    expect(field(el, 0, '').getAttribute('aria-invalid')).to.equal('false');
    expect(deepActive() === field(el, 1, 'input.target'), "focus on rule 2's target").to.equal(
      true,
    );
    expect(phone.forwardingRules).to.deep.equal([RULE]);
    expect(statusText(el)).to.equal('Changes are not saved yet.');
  });

  it('keeps a rule of a line that is no longer yours visible, and the refusal says why', async () => {
    const { el, phone } = await forwarding([{ ...RULE, line: 'hfo/299' }]);
    const line = sel(el, 0, 'select.line');
    expect(line.selectedOptions[0]?.text.trim()).to.equal('hfo/299 (not one of your lines)');
    await save(el, phone);
    expect(alertText(el)).to.equal(
      'The gateway refused rule 1: line must be one of yours (hfo/201, hfo/202)',
    );
    expect(deepActive() === line, "focus on the rule's line").to.equal(true);
  });

  it('other failures are said in the usual words', async () => {
    const { el, phone } = await forwarding([RULE]);
    phone.failNext('setForwarding', 'network');
    await save(el, phone);
    expect(alertText(el)).to.equal(
      'The Linegate gateway cannot be reached. Check the network connection.',
    );
  });

  it('checks the numbers before sending', async () => {
    const { el, phone } = await forwarding([RULE]);
    type(inp(el, 0, 'input.target'), '');
    button(el, 'Save forwarding').click();
    await settle(el);
    expect(alertText(el)).to.equal('Rule 1: enter the number to forward to.');
    expect(deepActive() === field(el, 0, 'input.target'), "focus on rule 1's target").to.equal(
      true,
    );
    type(inp(el, 0, 'input.target'), '089 CALL ME');
    button(el, 'Save forwarding').click();
    await settle(el);
    expect(alertText(el)).to.equal('Rule 1: only digits, +, * and # can be used.');
    expect(phone.commands('setForwarding')).to.have.length(0);
  });

  it(`offers at most ${MAX_FORWARD_RULES} rules`, async () => {
    const many = Array.from({ length: MAX_FORWARD_RULES - 1 }, (_, i) => ({
      ...RULE,
      target: String(100 + i),
    }));
    const { el } = await forwarding(many);
    const add = button(el, 'Add rule');
    expect(add.disabled).to.equal(false);
    add.click();
    await settle(el);
    expect(rules(el)).to.have.length(MAX_FORWARD_RULES);
    expect(button(el, 'Add rule').disabled).to.equal(true);
    expect(text(el.shadowRoot!)).to.contain(`At most ${MAX_FORWARD_RULES} rules.`);
  });

  it('says when the rules cannot be loaded, and tries again', async () => {
    const phone = new FakePhone();
    phone.connection = 'connected';
    phone.forwardingRules = [RULE];
    phone.failNext('forwarding', 'network');
    const el = new LgForwarding();
    el.phone = phone;
    await mount(el);
    await until(() => alertText(el) !== '', 'alert');
    expect(alertText(el)).to.contain('The forwarding rules cannot be loaded.');
    button(el, 'Try again').click();
    await until(() => rules(el).length === 1, 'loaded');
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await forwarding([RULE]);
    expect(text($(el, 'h3'))).to.equal('Rufumleitung');
    const options = (s: string) => [...sel(el, 0, s).options].map((o) => o.text.trim());
    expect(options('select.when')).to.deep.equal(['Immer', 'Bei Besetzt']);
    expect(options('select.calls')).to.deep.equal([
      'Alle Anrufe',
      'Interne Anrufe',
      'Externe Anrufe',
    ]);
    expect(text(el.shadowRoot!)).to.contain('auch wenn kein Browser geöffnet ist');
    expect(button(el, 'Regel hinzufügen')).to.be.instanceOf(HTMLButtonElement);
    expect(button(el, 'Regel 1 entfernen')).to.be.instanceOf(HTMLButtonElement);
  });

  it('fits 320 px with 44 px targets', async () => {
    const { el } = await forwarding([RULE]);
    el.style.width = '288px';
    await settle(el);
    const section = $(el, 'section');
    expect(section.scrollWidth).to.be.at.most(section.clientWidth);
    for (const c of $$(el, 'button, select, input:not([type=checkbox]), label.check')) {
      expect(c.getBoundingClientRect().height, c.className).to.be.at.least(44);
      expect(c.getBoundingClientRect().right).to.be.at.most(section.getBoundingClientRect().right);
    }
  });
});
