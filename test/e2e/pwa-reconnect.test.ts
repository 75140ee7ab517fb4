/**
 * The PWA never loses its footing (issue #6): it shows when the network is
 * gone and comes back by itself; after a gateway restart it reconnects and
 * registers again with its session (kept in the database) — as one device,
 * so a call rings once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { pollUntil } from '../pbx/sys.ts';
import { startCallWorld, type CallWorld } from './support/call-world.ts';

let w: CallWorld;
let context: BrowserContext | undefined;

before(async () => {
  w = await startCallWorld({ lines: '201', users: [{ username: 'alice', lines: ['pbx/201'] }] });
});

after(async () => {
  await context?.close().catch(() => undefined);
  await (w as CallWorld | undefined)?.stop();
});

function calls(page: Page): Promise<{ direction: string; state: string }[]> {
  return page.evaluate(() =>
    (
      globalThis as unknown as {
        __linegatePhone: { calls: { direction: string; state: string }[] };
      }
    ).__linegatePhone.calls.map((c) => ({ direction: c.direction, state: c.state })),
  );
}

describe('PWA reconnects', () => {
  it('offline and back; a gateway restart; still one device that rings', async () => {
    const browser = await w.browser();
    context = await browser.newContext({ permissions: ['microphone'] });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${w.gateway.http.port}/?e2e=1`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('pw-alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const connected = page.getByText('Connected', { exact: true }).first();
    await connected.waitFor({ timeout: 15_000 });

    await context.setOffline(true);
    await page.getByText('Offline: no network').first().waitFor({ timeout: 10_000 });
    // The service worker serves the app shell: a reload without network still opens the app.
    // It controls pages loaded after its installation (no clients.claim): reload once online.
    await context.setOffline(false);
    await page.evaluate(
      () =>
        (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } })
          .navigator.serviceWorker.ready,
    );
    await page.reload();
    await connected.waitFor({ timeout: 20_000 });
    await context.setOffline(true);
    const controlled = await pollUntil(
      () =>
        page.evaluate(
          () =>
            (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } })
              .navigator.serviceWorker.controller !== null,
        ),
      15_000,
      200,
    );
    assert.ok(controlled, 'a service worker controls the page');
    await page.reload();
    // Opened from the cache; it cannot reach the gateway and says so.
    await page
      .getByText('The Linegate gateway cannot be reached. Check the network connection.')
      .first()
      .waitFor({ timeout: 10_000 });
    await page.screenshot({
      path: new URL('./screenshots/offline-desktop.png', import.meta.url).pathname,
    });
    await context.setOffline(false);
    await connected.waitFor({ timeout: 20_000 });

    await w.restartGateway();
    // Reconnecting after the restart: the session came back from the database.
    await connected.waitFor({ timeout: 30_000 });
    const caller = await w.pbx.addPhone('203');
    try {
      await caller.dial('201');
      const rang = await pollUntil(
        async () => (await calls(page)).some((c) => c.direction === 'incoming'),
        15_000,
        100,
      );
      assert.ok(rang, 'the call rings after the restart');
      await caller.waitEvent('CALL_RINGING', 10_000);
      const devices = w.logs.filter((r) => r['msg'] === 'incoming call').at(-1)?.['devices'];
      assert.equal(devices, 1, 'one device: the reconnect replaced its registration');
      await caller.hangup();
    } finally {
      await caller.stop();
    }
  });
});
