/**
 * Feature codes from the PWA (seeds 000/003/004, issue #7) against the
 * Kamailio test PBX, whose feature-code route hands every code to a SIPp
 * "announcement" (a tone, then BYE — like a PBX confirming a code):
 *
 * - HFO's "forward after time" *72*<NUMBER>*<SECONDS>: chosen in the line's
 *   menu, asked for both, dialled with the number in the line's dialable
 *   form (location with dialAreaCodeLocally); the PBX's tone is heard and
 *   the call ends when the PBX hangs up.
 * - The after-sign-in action: set in the settings, dialled by the app right
 *   after the next sign-in with the form, shown as such in the call view.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { pollUntil } from '../pbx/sys.ts';
import type { SippRun } from '../pbx/world.ts';
import { startCallWorld, type CallWorld } from './support/call-world.ts';
import { ensureAppBuilt, heardHz, openApp, signIn, waitCall } from './support/pwa-page.ts';

const PBX_HZ = 440;
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
let w: CallWorld;
const contexts: BrowserContext[] = [];

before(async () => {
  ensureAppBuilt();
  w = await startCallWorld({
    lines: '201-202',
    users: [{ username: 'alice', lines: ['pbx/201'] }],
    profile: 'hfo-crown-centrex',
    // A cloud PBX in Munich whose users always dial the area code (seed 004).
    location: {
      countryCode: '49',
      areaCode: '89',
      outsideLine: '',
      pbxNumber: '12345',
      extensionDigits: 3,
      dialAreaCodeLocally: true,
    },
  });
});

after(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await (w as CallWorld | undefined)?.stop();
});

interface Announcer {
  readonly run: SippRun;
  /** Request-URI users of the INVITEs it received so far. */
  invites(): string[];
}

/**
 * The PBX's announcement for feature codes: SIPp answers, plays 440 Hz for
 * 4 s and hangs up; Kamailio sends every code there (opt fc_uri).
 */
async function announcer(t: TestContext, name: string): Promise<Announcer> {
  const shipped = readFileSync(await w.pbx.scenario('uas-announce', { toneHz: PBX_HZ }), 'utf8');
  const file = join(w.pbx.sippDir, `${name}.xml`);
  writeFileSync(
    file,
    shipped.replace('<pause milliseconds="1500"/>', '<pause milliseconds="4000"/>'),
  );
  const trace = join(w.pbx.sippDir, `${name}.messages.log`);
  const run = await w.pbx.sipp(
    ['-sf', file, '-m', '1', '-trace_msg', '-message_file', trace, w.pbx.address],
    { name },
  );
  t.after(() => run.kill());
  await w.pbx.kamcmd('htable.sets', 'opt', 'fc_uri', `s:sip:127.0.0.1:${run.port}`);
  return {
    run,
    invites: () => {
      let text = '';
      try {
        text = readFileSync(trace, 'utf8');
      } catch {
        return [];
      }
      return [...text.matchAll(/^INVITE sip:([^@ ]+)@/gm)].map((m) =>
        decodeURIComponent(m[1] ?? ''),
      );
    },
  };
}

async function open(): Promise<Page> {
  return openApp(w, contexts, { width: 1280, height: 800 });
}

describe('feature codes in the PWA', () => {
  it('forward after time: number and seconds asked for, dialled in the PBX form; the announcement is heard; the PBX ends the call', async (t) => {
    const pbx = await announcer(t, 'fc-after-time');
    const page = await open();
    await signIn(page);
    await page.getByRole('button', { name: 'Feature codes' }).click();
    await page.getByRole('button', { name: /Weiterleitung nach Zeit aktivieren/ }).click();
    await page.getByLabel(/^Number for/).fill('+49 89 1234567');
    await page.getByLabel(/^Seconds for/).fill('25');
    await page.screenshot({ path: `${SHOTS}feature-code-desktop.png` });
    await page.getByRole('button', { name: 'Dial code' }).click();
    assert.ok(await pollUntil(() => pbx.invites().length > 0, 15_000), 'the PBX got the code');
    assert.deepEqual(pbx.invites(), ['*72*0891234567*25']);
    await waitCall(page, (s) => s.calls.some((c) => c.state === 'active'), 'code call up');
    await page.locator('lg-call .feature-code').waitFor({ timeout: 10_000 });
    assert.equal(
      (await page.locator('lg-call #who').textContent())?.trim(),
      'Weiterleitung nach Zeit aktivieren',
    );
    const hz = await heardHz(page);
    assert.ok(Math.abs(hz - PBX_HZ) < 30, `the app heard ${hz} Hz`);
    await waitCall(page, (s) => s.calls.every((c) => c.state === 'ended'), 'the PBX hung up');
    const sipp = await pbx.run.exited;
    assert.equal(sipp.code, 0, pbx.run.output().slice(-2000));
  });

  it('after sign-in: set in the settings, dialled once right after the next sign-in with the form', async (t) => {
    const page = await open();
    await signIn(page);
    await page.goto(`${w.base}/?e2e=1#/settings`);
    await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page
      .getByLabel('Action')
      .selectOption({ label: 'Weiterleitung sofort und nach Zeit deaktivieren (*73*)' });
    await page.getByRole('button', { name: 'Save action' }).click();
    await page.getByText('Saved. It applies from your next sign-in.').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}after-sign-in-settings-desktop.png`, fullPage: true });
    await page
      .getByText(
        'Now dialled after sign-in: Weiterleitung sofort und nach Zeit deaktivieren (*73*)',
      )
      .waitFor();

    const pbx = await announcer(t, 'fc-after-sign-in');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').waitFor({ timeout: 10_000 });
    assert.deepEqual(pbx.invites(), [], 'nothing dialled before the sign-in');
    await signIn(page);
    assert.ok(await pollUntil(() => pbx.invites().length > 0, 15_000), 'the PBX got the code');
    assert.deepEqual(pbx.invites(), ['*73*']);
    await page.locator('lg-call .after-sign-in').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}after-sign-in-call-desktop.png` });
    assert.equal(
      (await page.locator('lg-call #who').textContent())?.trim(),
      'Weiterleitung sofort und nach Zeit deaktivieren',
    );
    await waitCall(page, (s) => s.calls.every((c) => c.state === 'ended'), 'the PBX hung up');
    assert.equal((await pbx.run.exited).code, 0, pbx.run.output().slice(-2000));

    // Clean up for other runs: nothing after sign-in.
    const cookie = await w.signIn('alice');
    const cleared = await fetch(`${w.base}/api/after-sign-in`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ dial: null }),
    });
    assert.equal(cleared.status, 200);
  });
});
