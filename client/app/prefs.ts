/**
 * The few choices the app remembers on this device (localStorage). Never
 * secrets: the session is an HttpOnly cookie the page cannot read.
 */
export type ThemePref = 'system' | 'light' | 'dark';

const KEYS = {
  line: 'linegate.line',
  theme: 'linegate.theme',
  notifyAsked: 'linegate.notify-asked',
} as const;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage disabled or full: the choice lasts for this page only.
  }
}

export const prefs = {
  get line(): string | undefined {
    return read(KEYS.line) ?? undefined;
  },
  set line(id: string | undefined) {
    write(KEYS.line, id);
  },

  get theme(): ThemePref {
    const v = read(KEYS.theme);
    return v === 'light' || v === 'dark' ? v : 'system';
  },
  set theme(v: ThemePref) {
    write(KEYS.theme, v === 'system' ? undefined : v);
  },

  get notifyAsked(): boolean {
    return read(KEYS.notifyAsked) === '1';
  },
  set notifyAsked(v: boolean) {
    write(KEYS.notifyAsked, v ? '1' : undefined);
  },
};
