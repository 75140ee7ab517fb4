/**
 * What the address says the app should do on start: shortcut and kiosk
 * links (`/?dial=NUMBER&auto=1&line=ID`, `/?kiosk=1&dial=NUMBER&label=…`)
 * and protocol handlers (`/?dial=%s` with a tel: or sip: URI).
 */
import { cleanNumber } from './number.ts';

export interface Launch {
  /** The cleaned number to prefill or call. */
  readonly dial?: string;
  /** A dial parameter was given but holds no diallable number. */
  readonly badDial: boolean;
  /** Call `dial` as soon as the phone is connected. */
  readonly auto: boolean;
  /** Line for this visit's outgoing calls. */
  readonly line?: string;
  readonly kiosk: boolean;
  /** Kiosk button text. */
  readonly label?: string;
}

const TRUE = new Set(['1', 'true', 'yes', 'on', '']);

/**
 * Parses a query string by hand: URLSearchParams turns "+" into a space,
 * which would eat the "+" of "?dial=+4989…" typed into a link. Only `dial`
 * keeps "+"; the other values follow the form convention.
 */
export function parseQuery(search: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const key = decodePart(rawKey.replace(/\+/g, ' '));
    const value = decodePart(key === 'dial' ? rawValue : rawValue.replace(/\+/g, ' '));
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

function decodePart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function parseLaunch(search: string): Launch {
  const q = parseQuery(search);
  const flag = (name: string): boolean => {
    const v = q.get(name);
    return v !== undefined && TRUE.has(v.toLowerCase());
  };
  const rawDial = q.get('dial');
  const cleaned = rawDial === undefined || rawDial.trim() === '' ? undefined : cleanNumber(rawDial);
  const line = q.get('line')?.trim();
  const label = q.get('label')?.trim();
  return {
    ...(cleaned?.ok ? { dial: cleaned.number } : {}),
    badDial: cleaned !== undefined && !cleaned.ok,
    auto: flag('auto'),
    ...(line ? { line } : {}),
    kiosk: flag('kiosk'),
    ...(label ? { label: label.slice(0, 60) } : {}),
  };
}

/** The address without `auto`, so reloading a shortcut page does not call again. */
export function withoutAuto(href: string): string {
  const url = new URL(href);
  if (!url.searchParams.has('auto')) return href;
  const kept = url.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p && !/^auto(=|$)/.test(p));
  url.search = kept.length ? `?${kept.join('&')}` : '';
  return url.href;
}
