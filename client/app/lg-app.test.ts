import { expect } from '@esm-bundle/chai';
import './lg-app.ts';
import type { LgApp } from './lg-app.ts';

async function mount(healthUrl: string): Promise<LgApp> {
  const el = document.createElement('lg-app');
  el.healthUrl = healthUrl;
  document.body.append(el);
  await el.check();
  await el.updateComplete;
  return el;
}

describe('lg-app', () => {
  afterEach(() => document.querySelectorAll('lg-app').forEach((e) => e.remove()));

  it('shows the gateway version when /healthz answers', async () => {
    const url = URL.createObjectURL(
      new Blob([JSON.stringify({ status: 'ok', version: '9.8.7' })], { type: 'application/json' }),
    );
    const el = await mount(url);
    const status = el.shadowRoot!.querySelector('[role=status]')!;
    expect(status.textContent).to.contain('9.8.7');
    expect(status.classList.contains('online')).to.equal(true);
  });

  it('says offline, with the reason, when the gateway cannot be reached', async () => {
    const el = await mount('/no-such-health-endpoint');
    const status = el.shadowRoot!.querySelector('[role=status]')!;
    expect(status.classList.contains('offline')).to.equal(true);
    expect(status.textContent).to.match(/Offline: .*404/);
  });
});
