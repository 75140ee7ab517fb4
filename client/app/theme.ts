/** Light or dark: follows the system unless the user chose; lg-app reflects it. */
import { prefs, type ThemePref } from './prefs.ts';

const listeners = new Set<() => void>();

export function getTheme(): ThemePref {
  return prefs.theme;
}

export function setTheme(theme: ThemePref): void {
  prefs.theme = theme;
  for (const l of listeners) l();
}

export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
