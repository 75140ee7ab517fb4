/**
 * <lg-app> in a test: mounted with a fake phone and tones, started (the
 * shell has resumed or shown the sign-in), and the page state the app
 * keeps (line, history, route) reset around each test.
 */
import { setLocalePref } from '../i18n/index.ts';
import '../app/lg-app.ts';
import type { LgApp } from '../app/lg-app.ts';
import type { FakePhone } from './fake-phone.ts';
import { FakeTones, cleanup, settle, until } from './helpers.ts';

export async function mountApp(
  phone: FakePhone,
  opts: { readonly search?: string; readonly dismissAfterMs?: number } = {},
): Promise<{ el: LgApp; tones: FakeTones }> {
  const tones = new FakeTones();
  const el = document.createElement('lg-app');
  el.search = opts.search ?? '';
  el.tones = tones;
  el.dismissAfterMs = opts.dismissAfterMs ?? 60_000;
  el.phone = phone;
  document.body.append(el);
  await until(() => !el.shell.starting, 'started');
  await settle(el);
  return { el, tones };
}

/** A view element inside the shell, if rendered. */
export const findIn = <K extends keyof HTMLElementTagNameMap>(el: LgApp, tag: K) =>
  el.shadowRoot?.querySelector(tag) ?? null;

/** beforeEach: English, no chosen line, no history, no notification prompt, no route. */
export function resetAppState(): void {
  setLocalePref('en');
  localStorage.removeItem('linegate.line');
  localStorage.removeItem('linegate.history');
  localStorage.setItem('linegate.notify-asked', '1');
  history.replaceState(null, '', location.pathname + location.search);
}

/** afterEach: the app removed, the route cleared. */
export function removeApp(): void {
  cleanup();
  history.replaceState(null, '', location.pathname + location.search);
}
