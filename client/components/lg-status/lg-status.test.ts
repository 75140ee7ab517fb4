import { expect } from '@esm-bundle/chai';
import { setLocalePref } from '../../i18n/index.ts';
import type { ConnectionState } from '../../phone/types.ts';
import { $, cleanup, mount, text } from '../../test-support/helpers.ts';
import { LgStatus } from './lg-status.ts';

describe('lg-status', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('says every connection state in a live status region', async () => {
    const el = await mount(new LgStatus());
    const said: Record<ConnectionState, string> = {
      'signed-out': 'Signed out',
      connecting: 'Connecting…',
      connected: 'Connected',
      reconnecting: 'Connection lost, reconnecting…',
      offline: 'Offline: no network',
    };
    for (const [state, words] of Object.entries(said) as [ConnectionState, string][]) {
      el.connection = state;
      await el.updateComplete;
      const status = $(el, '[role=status]');
      expect(text(status)).to.equal(`Connection: ${words}`);
      expect(status.classList.contains(state)).to.equal(true);
      expect(el.getAttribute('connection')).to.equal(state);
    }
  });

  it('follows a language change', async () => {
    const el = await mount(new LgStatus());
    el.connection = 'reconnecting';
    setLocalePref('de');
    await el.updateComplete;
    expect(text($(el, '[role=status]'))).to.contain('Verbindung verloren');
  });
});
