/**
 * Feature codes with parameters (seeds 000, 003, 004): a code is digits, *
 * and # around at most one `<NUMBER>` (a phone number the user gives) and at
 * most one `<SECONDS>` (a time in seconds), e.g. HFO's "forward after time"
 * `*72*<NUMBER>*<SECONDS>`. The gateway checks codes in its config with
 * featureCodeProblem(); the PWA fills them with fillFeatureCode().
 */
export const NUMBER_PLACEHOLDER = '<NUMBER>';
export const SECONDS_PLACEHOLDER = '<SECONDS>';

/** What a forward-after-time code accepts: the PBXs we know take 5–600 s. */
export const MIN_SECONDS = 1;
export const MAX_SECONDS = 3600;

export interface FeatureCodeParams {
  readonly number: boolean;
  readonly seconds: boolean;
}

/** Which parameters a code asks for. */
export function paramsOf(code: string): FeatureCodeParams {
  return { number: code.includes(NUMBER_PLACEHOLDER), seconds: code.includes(SECONDS_PLACEHOLDER) };
}

/** Why a code is not usable, or undefined when it is. */
export function featureCodeProblem(code: string): string | undefined {
  if (code === '') return 'empty';
  const rest = code.replace(NUMBER_PLACEHOLDER, '').replace(SECONDS_PLACEHOLDER, '');
  if (!/^[0-9*#]+$/.test(rest) && !(rest === '' && code !== rest))
    return 'digits, * and # with at most one <NUMBER> and one <SECONDS>';
  return undefined;
}

export type FillResult =
  | { readonly ok: true; readonly dial: string }
  | { readonly ok: false; readonly error: 'number' | 'seconds' };

/**
 * The digits to dial: `number` (digits with an optional leading +, already
 * cleaned by the caller) into `<NUMBER>`, `seconds` (a whole number from
 * MIN_SECONDS to MAX_SECONDS) into `<SECONDS>`. A parameter the code asks
 * for and that is missing or wrong is the error; one it does not ask for is
 * ignored.
 */
export function fillFeatureCode(
  code: string,
  given: { readonly number?: string | undefined; readonly seconds?: number | undefined },
): FillResult {
  const p = paramsOf(code);
  let dial = code;
  if (p.number) {
    const n = given.number ?? '';
    if (!/^\+?[0-9]{1,32}$/.test(n)) return { ok: false, error: 'number' };
    dial = dial.replace(NUMBER_PLACEHOLDER, n);
  }
  if (p.seconds) {
    const s = given.seconds;
    if (s === undefined || !Number.isInteger(s) || s < MIN_SECONDS || s > MAX_SECONDS)
      return { ok: false, error: 'seconds' };
    dial = dial.replace(SECONDS_PLACEHOLDER, String(s));
  }
  return { ok: true, dial };
}
