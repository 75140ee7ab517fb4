/**
 * G.711 A-law and µ-law (ITU-T G.711; RFC 3551 §4.5.14 PCMA/PCMU).
 *
 * The compress/expand functions follow the ITU-T G.191 reference (STL g711.c)
 * step by step so the tables are bit-exact with it. At run time only tables
 * are used: a 256-entry expand table per law and a 64K encode table indexed by
 * the 16-bit sample, because a lookup is ~3× cheaper than the bit arithmetic.
 */

/** G.191 alaw_compress for one 16-bit sample. */
export function alawCompress(sample: number): number {
  // One's complement for negative input, then the 12 most significant bits.
  let ix = sample < 0 ? ~sample >> 4 : sample >> 4;
  if (ix > 15) {
    let exp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      exp++;
    }
    ix -= 16;
    ix += exp << 4;
  }
  if (sample >= 0) ix |= 0x80;
  return ix ^ 0x55; // even-bit inversion
}

/** G.191 alaw_expand for one code. */
export function alawExpand(code: number): number {
  const ix = (code ^ 0x55) & 0x7f;
  const exp = ix >> 4;
  let mant = ix & 0x0f;
  if (exp > 0) mant += 16;
  mant = (mant << 4) + 0x08;
  if (exp > 1) mant <<= exp - 1;
  return (code ^ 0x55) > 127 ? mant : -mant;
}

/** G.191 ulaw_compress for one 16-bit sample. */
export function ulawCompress(sample: number): number {
  let absno = sample < 0 ? (~sample >> 2) + 33 : (sample >> 2) + 33;
  if (absno > 0x1fff) absno = 0x1fff;
  let i = absno >> 6;
  let segno = 1;
  while (i !== 0) {
    segno++;
    i >>= 1;
  }
  const high = 0x08 - segno;
  const low = 0x0f - ((absno >> segno) & 0x0f);
  const code = (high << 4) | low;
  return sample >= 0 ? code | 0x80 : code;
}

/** G.191 ulaw_expand for one code. */
export function ulawExpand(code: number): number {
  const sign = code < 0x80 ? -1 : 1;
  const inv = ~code & 0xff;
  const exponent = (inv >> 4) & 0x07;
  const step = 4 << (exponent + 1);
  const mantissa = inv & 0x0f;
  return (sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33)) | 0; // | 0: no -0
}

function expandTable(expand: (code: number) => number): Int16Array {
  const t = new Int16Array(256);
  for (let c = 0; c < 256; c++) t[c] = expand(c);
  return t;
}

function compressTable(compress: (sample: number) => number): Uint8Array {
  const t = new Uint8Array(65536);
  for (let u = 0; u < 65536; u++) t[u] = compress((u << 16) >> 16);
  return t;
}

export const ALAW_TO_LINEAR: Int16Array = expandTable(alawExpand);
export const ULAW_TO_LINEAR: Int16Array = expandTable(ulawExpand);
const LINEAR_TO_ALAW = compressTable(alawCompress);
const LINEAR_TO_ULAW = compressTable(ulawCompress);

/** Direct law conversion (decode then encode), for PCMA⇄PCMU without a PCM buffer. */
const ALAW_TO_ULAW = new Uint8Array(256).map((_, c) => ulawCompress(alawExpand(c)));
const ULAW_TO_ALAW = new Uint8Array(256).map((_, c) => alawCompress(ulawExpand(c)));

export type G711Law = 'PCMA' | 'PCMU';

export function g711Decode(
  law: G711Law,
  src: Uint8Array,
  dst: Int16Array = new Int16Array(src.length),
): Int16Array {
  const t = law === 'PCMA' ? ALAW_TO_LINEAR : ULAW_TO_LINEAR;
  for (let i = 0; i < src.length; i++) dst[i] = t[src[i] as number] as number;
  return dst;
}

export function g711Encode(
  law: G711Law,
  src: Int16Array,
  dst: Uint8Array = new Uint8Array(src.length),
): Uint8Array {
  const t = law === 'PCMA' ? LINEAR_TO_ALAW : LINEAR_TO_ULAW;
  for (let i = 0; i < src.length; i++) dst[i] = t[(src[i] as number) & 0xffff] as number;
  return dst;
}

/** Converts payload bytes in place from one law to the other. */
export function g711Convert(from: G711Law, to: G711Law, payload: Uint8Array): void {
  if (from === to) return;
  const t = from === 'PCMA' ? ALAW_TO_ULAW : ULAW_TO_ALAW;
  for (let i = 0; i < payload.length; i++) payload[i] = t[payload[i] as number] as number;
}

/** The code for silence (linear 0) in each law, used to pad frames. */
export const G711_SILENCE: Readonly<Record<G711Law, number>> = { PCMA: 0xd5, PCMU: 0xff };
