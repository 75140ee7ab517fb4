/**
 * Seeded mutations of valid SIP messages, shared by the parser's fuzz test and
 * the transports' (test/interop/fuzz.test.ts): byte flips, inserted CR/LF/NUL/
 * quotes/<>, deletions, truncations, huge and repeated header fields, and
 * splices of two messages.
 */

/** mulberry32: small, fast, and the same sequence on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = [
  '\r',
  '\n',
  '\r\n',
  '\0',
  '"',
  '<',
  '>',
  ',',
  ';',
  ':',
  ' ',
  '\t',
  '%',
  '\\',
  '\r\n ',
  '\xff',
  'é',
  '\r\n\r\n',
];
const HEADER_NAMES = [
  'Via',
  'v',
  'From',
  'To',
  'Call-ID',
  'CSeq',
  'Contact',
  'Content-Length',
  'l',
  'Max-Forwards',
  'X-Fuzz',
];

export type Mutation = (d: Buffer, rnd: () => number) => Buffer;
const at = (d: Buffer, rnd: () => number): number => Math.floor(rnd() * (d.length + 1));
export function pick<T>(xs: readonly T[], rnd: () => number): T {
  const x = xs[Math.floor(rnd() * xs.length)];
  if (x === undefined) throw new RangeError('pick from an empty list');
  return x;
}

export const MUTATIONS: Mutation[] = [
  (d, rnd) => {
    const out = Buffer.from(d);
    for (let n = 1 + Math.floor(rnd() * 4); n > 0 && out.length > 0; n--)
      out[Math.floor(rnd() * out.length)] = Math.floor(rnd() * 256);
    return out;
  },
  (d, rnd) => {
    const i = at(d, rnd);
    return Buffer.concat([
      d.subarray(0, i),
      Buffer.from(pick(SPECIAL, rnd), 'latin1'),
      d.subarray(i),
    ]);
  },
  (d, rnd) => {
    const i = at(d, rnd);
    return Buffer.concat([
      d.subarray(0, i),
      d.subarray(Math.min(d.length, i + 1 + Math.floor(rnd() * 40))),
    ]);
  },
  (d, rnd) => d.subarray(0, at(d, rnd)),
  (d, rnd) =>
    insertLine(d, `${pick(HEADER_NAMES, rnd)}: ${'a'.repeat(Math.floor(rnd() * 70_000))}`),
  (d, rnd) =>
    insertLine(
      d,
      Array.from(
        { length: 1 + Math.floor(rnd() * 300) },
        () => `${pick(HEADER_NAMES, rnd)}: 1`,
      ).join('\r\n'),
    ),
  (d, rnd) =>
    insertLine(
      d,
      `${pick(HEADER_NAMES, rnd)}: ${pick(['"', '<', '<sip:', ';;', ',,', '%', '[', 'SIP/2.0/UDP [', '*'], rnd)}`,
    ),
];

/** Inserts a header line right after the start line. */
function insertLine(d: Buffer, line: string): Buffer {
  const eol = d.indexOf('\r\n');
  if (eol < 0) return d;
  return Buffer.concat([
    d.subarray(0, eol + 2),
    Buffer.from(line + '\r\n', 'latin1'),
    d.subarray(eol + 2),
  ]);
}

/** One or two mutations of a message picked from `corpus`, sometimes spliced with another. */
export function mutate(corpus: readonly Buffer[], rnd: () => number): Buffer {
  let data = pick(corpus, rnd);
  for (let n = rnd() < 0.7 ? 1 : 2; n > 0; n--) {
    data =
      rnd() < 1 / (MUTATIONS.length + 1)
        ? Buffer.concat([data.subarray(0, at(data, rnd)), pick(corpus, rnd)])
        : pick(MUTATIONS, rnd)(data, rnd);
  }
  return data;
}
