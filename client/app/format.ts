import { t } from '../i18n/index.ts';
import type { ApiLine, Party } from '../phone/types.ts';

/** 5 s → "0:05", 62 s → "1:02", 3723 s → "1:02:03". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The name to show for the other side: name, else number, else anonymous. */
export function partyName(p: Party): string {
  if (p.anonymous) return t('call.anonymous');
  return p.name?.trim() || p.number || t('call.unknown');
}

/** The number under the name, when the name is not already the number. */
export function partyDetail(p: Party): string | undefined {
  if (p.anonymous || !p.number) return undefined;
  return p.name?.trim() && p.name.trim() !== p.number ? p.number : undefined;
}

/** A line's label for people: "Sales (201)"; unknown ids as they are. */
export function lineName(lines: readonly ApiLine[], id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const line = lines.find((l) => l.id === id);
  if (!line) return id;
  return line.label && line.label !== line.number ? `${line.label} (${line.number})` : line.number;
}
