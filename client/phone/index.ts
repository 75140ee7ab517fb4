/**
 * The phone, as the app gets it: `createPhone()` is the one entry of
 * client/phone/ (JsSIP stays behind it, DESIGN.md). Views program against
 * the Phone interface (types.ts); their tests use a fake of it.
 *
 *   const phone = createPhone();
 *   phone.subscribe(() => render(phone));
 *   if (!(await phone.resume())) showSignIn();
 *
 * End-to-end tests: a page opened with `?e2e=1` in its URL also exposes the
 * phone as `window.__linegatePhone`, so a test driving Chromium can sign in,
 * call, answer, and read `calls` and `connection` through the same facade
 * the views use, e.g. with playwright:
 *
 *   await page.goto(`${base}/?e2e=1`);
 *   await page.evaluate(() => window.__linegatePhone!.signIn('alice', 'secret'));
 *   await page.waitForFunction(() => window.__linegatePhone!.connection === 'connected');
 *   const id = await page.evaluate(() => window.__linegatePhone!.call('201'));
 *
 * Without `?e2e=1` nothing is exposed.
 */
import { JsSipPhone } from './jssip-phone.ts';
import type { Phone } from './types.ts';
import { defaultOrigin } from './urls.ts';

export type * from './types.ts';
export { PhoneError } from './types.ts';

declare global {
  interface Window {
    /** The page's phone, only on pages opened with ?e2e=1 (end-to-end tests). */
    __linegatePhone?: Phone;
  }
}

export interface CreatePhoneOptions {
  /** Origin of the gateway (API and SIP WebSocket); default: the page's. */
  readonly origin?: string;
  /** Where the device's SIP instance id and audio devices are kept; default localStorage. */
  readonly storage?: Storage;
}

export function createPhone(opts: CreatePhoneOptions = {}): Phone {
  const phone = new JsSipPhone({
    origin: opts.origin ?? defaultOrigin(),
    storage: opts.storage ?? defaultStorage(),
  });
  if (isE2ePage()) window.__linegatePhone = phone;
  return phone;
}

function isE2ePage(): boolean {
  return new URLSearchParams(globalThis.location.search).get('e2e') === '1';
}

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // A sandboxed or privacy-locked page: the phone works, only without memory.
    return undefined;
  }
}
