/** Small helpers for the component tests. */
import type { LitElement } from 'lit';

/** Adds `el` to the page and waits for its first render. */
export async function mount<T extends LitElement>(el: T): Promise<T> {
  document.body.append(el);
  await el.updateComplete;
  return el;
}

export function cleanup(): void {
  for (const el of [...document.body.children]) {
    if (el.tagName.startsWith('LG-')) el.remove();
  }
}

/** One element in `el`'s shadow root (or light DOM of a root); throws when missing. */
export function $(el: Element | ShadowRoot, selector: string): HTMLElement {
  const root = el instanceof Element && el.shadowRoot ? el.shadowRoot : el;
  const found = root.querySelector<HTMLElement>(selector);
  if (!found)
    throw new Error(`no ${selector} in <${el instanceof Element ? el.localName : '#root'}>`);
  return found;
}

export function $$(el: Element, selector: string): HTMLElement[] {
  return [...(el.shadowRoot ?? el).querySelectorAll<HTMLElement>(selector)];
}

/** The visible text of an element, whitespace squeezed. */
export function text(el: Element | ShadowRoot): string {
  return el.textContent.replace(/\s+/g, ' ').trim();
}

/** A button in `el`'s shadow root by its accessible name (aria-label or text). */
export function button(el: Element, name: string | RegExp): HTMLButtonElement {
  const all = [...(el.shadowRoot ?? el).querySelectorAll('button')];
  const found = all.find((b) => {
    const label = b.getAttribute('aria-label') ?? text(b);
    return typeof name === 'string' ? label === name : name.test(label);
  });
  if (!found) {
    const names = all.map((b) => b.getAttribute('aria-label') ?? text(b)).join(' | ');
    throw new Error(`no button "${String(name)}" in <${el.localName}>: ${names}`);
  }
  return found;
}

/** Waits until `check` holds (the fake's promises settle in microtasks; renders in frames). */
export async function until(check: () => boolean, what = 'condition', ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending promises and renders settle. */
export async function settle(el?: LitElement): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  await el?.updateComplete;
}

/** The shadow-including active element. */
export function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** A TonePlayer that records what it was asked to play. */
export class FakeTones {
  readonly log: string[] = [];
  playing: string | undefined;

  play(kind: string, sinkId?: string): void {
    this.playing = kind;
    this.log.push(`play ${kind}${sinkId ? ` on ${sinkId}` : ''}`);
  }

  stop(): void {
    this.playing = undefined;
    this.log.push('stop');
  }

  unlock(): void {
    // Nothing to unlock in tests.
  }
}
