/**
 * The softphone PWA end to end (issue #6): the built app served by the
 * gateway, in headless Chromium with a fake microphone (1000 Hz), signs in,
 * calls a baresip phone through the gateway and the Kamailio test PBX,
 * hears the phone's 440 Hz tone, holds and resumes, hangs up; takes an
 * incoming call on a 390×844 mobile viewport; and runs the kiosk link
 * flow. Screenshots of the main views land in test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { pollUntil } from '../pbx/sys.ts';
import { startCallWorld, type CallWorld } from './support/call-world.ts';
import { ensureAppBuilt, heardHz, openApp, signIn, waitCall } from './support/pwa-page.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const PBX_HZ = 440;

let w: CallWorld;
let base: string;
const contexts: BrowserContext[] = [];

before(async () => {
  ensureAppBuilt();
  mkdirSync(SHOTS, { recursive: true });
  w = await startCallWorld({
    lines: '201-202',
    users: [{ username: 'alice', lines: ['pbx/201', 'pbx/202'] }],
  });
  base = `http://127.0.0.1:${w.gateway.http.port}`;
});

after(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await (w as CallWorld | undefined)?.stop();
});

const open = (viewport: { width: number; height: number }, path?: string): Promise<Page> =>
  openApp(w, contexts, viewport, path);

/**
 * Chromium's own installability check (what Lighthouse's PWA audit asks):
 * manifest, icons, start URL, display and a service worker controlling the
 * page. Playwright's contexts are off the record, which Chromium reports as
 * "in-incognito"; everything else must be clean.
 */
async function assertInstallable(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  let errors: string[] = [];
  const ok = await pollUntil(
    async () => {
      const r = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      errors = r.installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito');
      return errors.length === 0;
    },
    15_000,
    250,
  );
  assert.ok(ok, `installability errors: ${errors.join(', ')}`);
  await cdp.detach();
}

describe('the PWA', () => {
  it('desktop: signs in, calls a PBX phone, hears it, holds and resumes, hangs up', async (t) => {
    const callee = await w.pbx.addPhone('203', { toneHz: PBX_HZ });
    t.after(() => callee.stop());
    const page = await open({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}sign-in-desktop.png` });
    await signIn(page);
    await page.screenshot({ path: `${SHOTS}phone-desktop.png` });
    await assertInstallable(page);
    await page.getByLabel('Number').fill('203');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await callee.waitEvent('CALL_ESTABLISHED', 15_000);
    await waitCall(page, (s) => s.calls.some((c) => c.state === 'active'), 'call up');
    const hz = await heardHz(page);
    assert.ok(Math.abs(hz - PBX_HZ) < 30, `the app heard ${hz} Hz`);
    await page.screenshot({ path: `${SHOTS}call-desktop.png` });
    const sdps = () => callee.events.filter((e) => e.type === 'CALL_REMOTE_SDP').length;
    const before = sdps();
    await page.getByRole('button', { name: 'Hold', exact: true }).click();
    await waitCall(page, (s) => s.calls.some((c) => c.held), 'held');
    await page.getByRole('button', { name: 'Hold', exact: true }).click();
    await waitCall(page, (s) => s.calls.some((c) => c.state === 'active' && !c.held), 'resumed');
    assert.ok(
      await pollUntil(() => sdps() >= before + 2, 5000),
      'hold and resume reached the phone',
    );
    await page
      .getByRole('button', { name: /^Hang up/ })
      .first()
      .click();
    await callee.waitEvent('CALL_CLOSED', 10_000);
    await waitCall(page, (s) => s.calls.every((c) => c.state === 'ended'), 'ended');
  });

  it('mobile 390×844: an incoming call rings full screen and is answered; views fit', async (t) => {
    const caller = await w.pbx.addPhone('204', { toneHz: PBX_HZ });
    t.after(() => caller.stop());
    const page = await open({ width: 390, height: 844 });
    await signIn(page);
    await page.screenshot({ path: `${SHOTS}phone-mobile.png` });
    await caller.dial('201');
    const answer = page.getByRole('button', { name: /^Answer/ });
    await answer.waitFor({ timeout: 15_000 });
    await page.getByText('204').first().waitFor();
    await page.screenshot({ path: `${SHOTS}ringing-mobile.png` });
    await answer.click();
    await caller.waitEvent('CALL_ESTABLISHED', 10_000);
    await waitCall(page, (s) => s.calls.some((c) => c.state === 'active'), 'answered');
    assert.ok(Math.abs((await heardHz(page)) - PBX_HZ) < 30);
    await page.screenshot({ path: `${SHOTS}call-mobile.png` });
    await caller.hangup();
    await waitCall(page, (s) => s.calls.every((c) => c.state === 'ended'), 'ended');
    // Nothing may overflow the narrow screen.
    const overflow = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document.documentElement.scrollWidth,
    );
    assert.ok(overflow <= 390, `page is ${overflow} px wide`);
    await page.goto(`${base}/?e2e=1#/journal`);
    await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}journal-mobile.png` });
    await page.goto(`${base}/?e2e=1#/settings`);
    await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}settings-mobile.png` });
  });

  it('kiosk link: one big button calls the number and comes back after hang-up', async (t) => {
    const reception = await w.pbx.addPhone('205', { toneHz: PBX_HZ });
    t.after(() => reception.stop());
    const page = await open({ width: 390, height: 844 });
    await signIn(page);
    await page.goto(`${base}/?e2e=1&kiosk=1&dial=205&label=Reception`);
    const button = page.getByRole('button', { name: /Reception/ });
    await button.waitFor({ timeout: 15_000 });
    await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}kiosk-mobile.png` });
    await button.click();
    await reception.waitEvent('CALL_ESTABLISHED', 15_000);
    await waitCall(page, (s) => s.calls.some((c) => c.state === 'active'), 'kiosk call up');
    await page.screenshot({ path: `${SHOTS}kiosk-call-mobile.png` });
    await reception.hangup();
    await button.waitFor({ timeout: 15_000 });
    assert.equal(await page.getByRole('link').count(), 0, 'no navigation in kiosk mode');
  });
});
