/**
 * A tiny typed translation module. The locale follows the browser
 * (navigator.languages) unless the user chose one; the choice lives in
 * localStorage. Views call t() while rendering and re-render on change
 * through LocaleController.
 */
import { de } from './de.ts';
import { en, type MessageKey } from './en.ts';

export type { MessageKey };
export type Locale = 'en' | 'de';
/** What the user chose: a locale, or 'system' to follow the browser. */
export type LocalePref = Locale | 'system';
export type Params = Readonly<Record<string, string | number>>;

export const LOCALES: readonly Locale[] = ['de', 'en'];
export const dictionaries: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = {
  en,
  de,
};
const STORAGE_KEY = 'linegate.locale';

const listeners = new Set<() => void>();
let current: Locale | undefined;

/** The first of the browser's languages we speak, else English. */
export function detectLocale(languages: readonly string[] = navigator.languages): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'de' || base === 'en') return base;
  }
  return 'en';
}

export function getLocalePref(): LocalePref {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (private modes); then the browser decides.
  }
  return stored === 'de' || stored === 'en' ? stored : 'system';
}

export function getLocale(): Locale {
  current ??= resolve(getLocalePref());
  return current;
}

function resolve(pref: LocalePref): Locale {
  return pref === 'system' ? detectLocale() : pref;
}

export function setLocalePref(pref: LocalePref): void {
  try {
    if (pref === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, pref);
  } catch {
    // Not remembered, but still applied for this page.
  }
  const next = resolve(pref);
  if (next === current) return;
  current = next;
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Fills {name} placeholders; an unknown placeholder stays visible. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

export function t(key: MessageKey, params?: Params): string {
  return format(dictionaries[getLocale()][key], params);
}

export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    ms,
  );
}
