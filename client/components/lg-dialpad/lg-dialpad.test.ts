import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { $, $$, cleanup, deepActive, mount } from '../../test-support/helpers.ts';
import { LgDialpad } from './lg-dialpad.ts';

describe('lg-dialpad', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  async function pad(): Promise<{ el: LgDialpad; keys: string[] }> {
    const el = await mount(new LgDialpad());
    const keys: string[] = [];
    el.addEventListener('lg-key', (e) => keys.push(e.detail.key));
    return { el, keys };
  }

  it('has twelve labelled keys in a named group, each at least 44 px', async () => {
    const { el } = await pad();
    expect($(el, '[role=group]').getAttribute('aria-label')).to.equal('Dial pad');
    const buttons = $$(el, 'button');
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '*',
      '0',
      '#',
    ]);
    for (const b of buttons) {
      const r = b.getBoundingClientRect();
      expect(r.width).to.be.at.least(44);
      expect(r.height).to.be.at.least(44);
    }
  });

  it('fires keys for clicks and for typing while focused', async () => {
    const { el, keys } = await pad();
    $(el, '[data-key="5"]').click();
    $(el, '[data-key="#"]').click();
    $(el, '[data-key="1"]').focus();
    await sendKeys({ type: '2*' });
    expect(keys).to.deep.equal(['5', '#', '2', '*']);
    expect(deepActive() === $(el, '[data-key="*"]'), 'focus on the * key').to.equal(true);
  });

  it('gives "+" for a long press on 0', async () => {
    const { el, keys } = await pad();
    const zero = $(el, '[data-key="0"]');
    zero.dispatchEvent(new PointerEvent('pointerdown'));
    await new Promise((r) => setTimeout(r, 700));
    zero.dispatchEvent(new PointerEvent('pointerup'));
    zero.click();
    expect(keys).to.deep.equal(['+']);
  });
});
