/**
 * Feature codes with parameters (#shared/feature-codes.ts) as the views
 * offer them: shown with readable placeholders, and filled from what the
 * user typed — a number as the dial field takes it, whole seconds — into
 * the digits to dial, or the message saying what is wrong and where.
 */
import {
  MAX_SECONDS,
  MIN_SECONDS,
  NUMBER_PLACEHOLDER,
  SECONDS_PLACEHOLDER,
  fillFeatureCode,
  paramsOf,
} from '#shared/feature-codes.ts';
import { dialable as dialString, type Location } from '#shared/dialing/index.ts';
import type { MessageKey, Params } from '../i18n/index.ts';
import { cleanNumber } from './number.ts';

/** What the seconds field starts with ("forward after 20 s"). */
export const DEFAULT_SECONDS = 20;

const SECONDS_RANGE: Params = { min: MIN_SECONDS, max: MAX_SECONDS };

/** What the user typed for a code's parameters (those it asks for). */
export interface Typed {
  readonly number?: string | undefined;
  readonly seconds?: string | undefined;
}

export type Filled =
  | { readonly ok: true; readonly dial: string }
  | {
      readonly ok: false;
      /** The field to correct. */
      readonly field: 'number' | 'seconds';
      readonly error: MessageKey;
      readonly params?: Params;
    };

/** "*72*<NUMBER>*<SECONDS>" → "*72*…*…s": the code with its gaps shown. */
export function codeLabel(code: string): string {
  return code.replace(NUMBER_PLACEHOLDER, '…').replace(SECONDS_PLACEHOLDER, '…s');
}

/** Whether choosing the code must ask for something first. */
export function asksForParams(code: string): boolean {
  const p = paramsOf(code);
  return p.number || p.seconds;
}

/**
 * The digits to dial for `code` with what the user typed: the number
 * cleaned like the dial field does, the seconds a whole number from
 * MIN_SECONDS to MAX_SECONDS; the result must be dialable (a "+" only in
 * front) and, with `maxLength`, not longer than that. With the line's
 * `location` the number goes in as the PBX dials it (the dialing rules of
 * #shared/dialing: "+49 89 1234567" → "01234567" in Munich behind outside
 * line 0), since the PBX reads the digits after "*72*" like a dialled number.
 */
export function fillCode(
  code: string,
  typed: Typed,
  maxLength?: number,
  location?: Location,
): Filled {
  const asks = paramsOf(code);
  let number: string | undefined;
  if (asks.number) {
    const cleaned = cleanNumber(typed.number ?? '');
    if (!cleaned.ok) {
      return {
        ok: false,
        field: 'number',
        error: cleaned.error === 'empty' ? 'dial.empty' : 'dial.invalid',
      };
    }
    const rules = location === undefined ? undefined : dialString(cleaned.number, location);
    number = rules?.ok === true ? rules.dial : cleaned.number;
  }
  const secondsText = (typed.seconds ?? '').trim();
  const seconds = /^[0-9]{1,9}$/.test(secondsText) ? Number(secondsText) : undefined;
  const filled = fillFeatureCode(code, { number, seconds });
  if (!filled.ok) {
    return filled.error === 'seconds'
      ? { ok: false, field: 'seconds', error: 'featureCodes.secondsInvalid', params: SECONDS_RANGE }
      : { ok: false, field: 'number', error: 'featureCodes.invalid' };
  }
  // "+49…" behind "*72*" cannot be dialled.
  const dialable = cleanNumber(filled.dial);
  if (!dialable.ok || dialable.number !== filled.dial) {
    return { ok: false, field: 'number', error: 'featureCodes.invalid' };
  }
  if (maxLength !== undefined && filled.dial.length > maxLength) {
    return {
      ok: false,
      field: asks.number ? 'number' : 'seconds',
      error: 'featureCodes.tooLong',
      params: { max: maxLength },
    };
  }
  return { ok: true, dial: filled.dial };
}

/**
 * The parameters `dial` was filled with from `code`, or undefined when it
 * is not that code: "*72*0891234*20" from "*72*<NUMBER>*<SECONDS>" →
 * { number: "0891234", seconds: "20" }.
 */
export function paramsIn(code: string, dial: string): Typed | undefined {
  const order: ('number' | 'seconds')[] = [];
  const pattern = code
    .split(/(<NUMBER>|<SECONDS>)/)
    .map((part) => {
      if (part === NUMBER_PLACEHOLDER) {
        order.push('number');
        return '(\\+?[0-9]+)';
      }
      if (part === SECONDS_PLACEHOLDER) {
        order.push('seconds');
        return '([0-9]+)';
      }
      return part.replace(/[*#]/g, '\\$&');
    })
    .join('');
  const m = new RegExp(`^${pattern}$`).exec(dial);
  if (!m) return undefined;
  const typed: { number?: string; seconds?: string } = {};
  for (const [i, name] of order.entries()) {
    const value = m[i + 1];
    if (value !== undefined) typed[name] = value;
  }
  return typed;
}
