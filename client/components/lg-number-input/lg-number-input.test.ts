import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { $, $$, button, cleanup, mount, text } from '../../test-support/helpers.ts';
import { LgNumberInput } from './lg-number-input.ts';

function paste(input: HTMLInputElement, textToPaste: string): void {
  const data = new DataTransfer();
  data.setData('text/plain', textToPaste);
  input.dispatchEvent(
    new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
  );
}

async function field(): Promise<{ el: LgNumberInput; input: HTMLInputElement; values: string[] }> {
  const el = await mount(new LgNumberInput());
  const values: string[] = [];
  el.addEventListener('lg-number', (e) => values.push(e.detail.value));
  return { el, input: $(el, 'input') as HTMLInputElement, values };
}

describe('lg-number-input', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('is a labelled telephone field', async () => {
    const { input } = await field();
    expect(input.type).to.equal('tel');
    expect(input.inputMode).to.equal('tel');
    expect(input.labels?.[0]?.textContent).to.equal('Number');
  });

  it('takes typed digits and drops punctuation', async () => {
    const { el, input, values } = await field();
    input.focus();
    await sendKeys({ type: '+49 89-12' });
    expect(input.value).to.equal('+498912');
    expect(el.value).to.equal('+498912');
    expect(values.at(-1)).to.equal('+498912');
  });

  it('refuses letters with a hint, keeping what was there', async () => {
    const { el, input } = await field();
    input.focus();
    await sendKeys({ type: '08a9' });
    await el.updateComplete;
    expect(input.value).to.equal('089');
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    await sendKeys({ type: 'x' });
    await el.updateComplete;
    expect(input.value).to.equal('089');
    expect(text($(el, '#hint'))).to.equal('Only digits, +, * and # can be dialled.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
  });

  it('cleans pasted numbers and URIs, and refuses pasted letters', async () => {
    const { el, input, values } = await field();
    input.focus();
    paste(input, '+49 (89) 1234-56');
    expect(input.value).to.equal('+4989123456');
    expect(values).to.deep.equal(['+4989123456']);
    input.value = '';
    el.value = '';
    paste(input, 'tel:+49-89-123');
    expect(input.value).to.equal('+4989123');
    paste(input, 'call me maybe');
    await el.updateComplete;
    expect(input.value).to.equal('+4989123');
    expect(text($(el, '#hint'))).to.contain('Only digits');
  });

  it('fires lg-submit on Enter and deletes with the back button', async () => {
    const { el, input } = await field();
    let submitted = 0;
    el.addEventListener('lg-submit', () => submitted++);
    input.focus();
    await sendKeys({ type: '12' });
    await sendKeys({ press: 'Enter' });
    expect(submitted).to.equal(1);
    await el.updateComplete;
    button(el, 'Delete last digit').click();
    await el.updateComplete;
    expect(input.value).to.equal('1');
  });

  it('offers suggestions as buttons that fill the field', async () => {
    const { el, input, values } = await field();
    el.suggestions = [{ number: '0891234', name: 'Bob' }, { number: '0301234' }];
    await el.updateComplete;
    expect($(el, 'ul').getAttribute('aria-label')).to.equal('From your recent calls');
    expect($$(el, 'ul button').map(text)).to.deep.equal(['Bob 0891234', '0301234']);
    $$(el, 'ul button')[0]!.click();
    await el.updateComplete;
    expect(input.value).to.equal('0891234');
    expect(values.at(-1)).to.equal('0891234');
  });
});
