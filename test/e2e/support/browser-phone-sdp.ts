/**
 * Codec restriction by SDP text rewriting, shared by the browser page (it
 * rewrites JsSIP's 'sdp' events) and usable from Node. Pure string code: no
 * DOM, no dependencies.
 */
import type { Codec } from './browser-phone-types.ts';

/** Static payload types that may come without an a=rtpmap line (RFC 3551). */
const STATIC: Readonly<Record<string, string>> = { '0': 'PCMU/8000', '8': 'PCMA/8000' };

/**
 * Keeps only `codecs` (in that order of preference) in every m=audio section,
 * plus the telephone-event entries whose clock rate matches a kept codec (all
 * telephone-event entries when none matches). Removes the a=rtpmap, a=fmtp and
 * a=rtcp-fb lines of the dropped payload types. A section left with no codec
 * is rejected (port 0, formats kept so the SDP stays valid).
 */
export function restrictCodecs(sdp: string, codecs: readonly Codec[]): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
  const out: string[] = [];
  let section: string[] = [];
  const flush = () => {
    out.push(...(section[0]?.startsWith('m=audio ') ? restrictSection(section, codecs) : section));
    section = [];
  };
  for (const line of lines) {
    if (line.startsWith('m=')) flush();
    section.push(line);
  }
  flush();
  if (trailing !== undefined) out.push(trailing);
  return out.join(eol);
}

function restrictSection(section: readonly string[], codecs: readonly Codec[]): string[] {
  const [mline = '', ...rest] = section;
  const parts = mline.split(' ');
  const formats = parts.slice(3);
  const encoding = new Map<string, string>();
  for (const pt of formats) {
    const rtpmap = rest.find((l) => l.startsWith(`a=rtpmap:${pt} `));
    const enc = rtpmap?.slice(rtpmap.indexOf(' ') + 1) ?? STATIC[pt];
    if (enc !== undefined) encoding.set(pt, enc);
  }
  const nameOf = (pt: string) => (encoding.get(pt) ?? '').split('/')[0]?.toLowerCase() ?? '';
  const rateOf = (pt: string) => (encoding.get(pt) ?? '').split('/')[1] ?? '';
  const kept: string[] = [];
  for (const codec of codecs) {
    kept.push(...formats.filter((pt) => nameOf(pt) === codec.toLowerCase() && !kept.includes(pt)));
  }
  if (kept.length === 0) return [[parts[0], '0', ...parts.slice(2)].join(' '), ...rest];
  const rates = new Set(kept.map(rateOf));
  const events = formats.filter((pt) => nameOf(pt) === 'telephone-event');
  const matching = events.filter((pt) => rates.has(rateOf(pt)));
  kept.push(...(matching.length > 0 ? matching : events));
  const dropped = new Set(formats.filter((pt) => !kept.includes(pt)));
  const isDropped = (line: string) => {
    const m = /^a=(?:rtpmap|fmtp|rtcp-fb):(\S+)/.exec(line);
    return m?.[1] !== undefined && dropped.has(m[1]);
  };
  return [[...parts.slice(0, 3), ...kept].join(' '), ...rest.filter((l) => !isDropped(l))];
}

/** The payload names of the first m=audio section, in order (e.g. ['PCMA', 'telephone-event']). */
export function audioCodecNames(sdp: string): string[] {
  const lines = sdp.split(/\r?\n/);
  const m = lines.findIndex((l) => l.startsWith('m=audio '));
  if (m < 0) return [];
  const end = lines.findIndex((l, i) => i > m && l.startsWith('m='));
  const section = lines.slice(m + 1, end < 0 ? undefined : end);
  return (lines[m] ?? '')
    .split(' ')
    .slice(3)
    .map((pt) => {
      const rtpmap = section.find((l) => l.startsWith(`a=rtpmap:${pt} `));
      const enc = rtpmap?.slice(rtpmap.indexOf(' ') + 1) ?? STATIC[pt] ?? pt;
      return enc.split('/')[0] ?? pt;
    });
}
