/**
 * The gateway's JSON (shared/api.ts) checked far enough that the phone can
 * run on it: what it cannot use is dropped or defaulted, never trusted.
 * A session, journal, forwarding or after-sign-in answer that is not one
 * at all is a PhoneError 'failed'.
 */
import type {
  AfterSignIn,
  AfterSignInAction,
  ApiColleagueLine,
  ApiLine,
  FeatureCode,
  ForwardRule,
  JournalEntry,
  JournalPage,
  JournalResult,
  LineFunctions,
  Session,
} from '#shared/api.ts';
import { JOURNAL_RESULTS } from '#shared/api.ts';
import type { Location } from '#shared/dialing/location.ts';
import { featureCodeProblem } from '#shared/feature-codes.ts';
import { isAfterSignInDial, MAX_AFTER_SIGN_IN_NAME } from './after-sign-in.ts';
import { PhoneError } from './types.ts';

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A Session from JSON, checked far enough that the phone can run on it. */
export function parseSession(json: unknown): Session {
  const user = isRecord(json) ? json['user'] : undefined;
  const sip = isRecord(json) ? json['sip'] : undefined;
  if (
    !isRecord(json) ||
    !isRecord(user) ||
    !isRecord(sip) ||
    !isString(user['username']) ||
    !isString(sip['uri']) ||
    !isString(sip['authUser']) ||
    !isString(sip['password']) ||
    !isString(sip['wsPath'])
  ) {
    throw new PhoneError('failed', 'The gateway sent a session the phone does not understand.');
  }
  const iceServers = Array.isArray(sip['iceServers']) ? sip['iceServers'].filter(isString) : [];
  return {
    user: {
      username: user['username'],
      displayName: isString(user['displayName']) ? user['displayName'] : user['username'],
    },
    sip: {
      uri: sip['uri'],
      authUser: sip['authUser'],
      password: sip['password'],
      wsPath: sip['wsPath'],
      iceServers,
    },
    lines: parseLines(json['lines']) ?? [],
    ...opt('colleagues', parseColleagues(json['colleagues'])),
    ...opt('afterSignIn', parseAfterSignInAction(json['afterSignIn'])),
    expiresAt: isString(json['expiresAt']) ? json['expiresAt'] : '',
  };
}

/** ApiLine[] from JSON; entries without an id are dropped; undefined when not a list. */
export function parseLines(json: unknown): ApiLine[] | undefined {
  if (!Array.isArray(json)) return undefined;
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return json.filter(isRecord).flatMap((l): ApiLine[] => {
    const id = l['id'];
    if (!isString(id) || id === '') return [];
    const number = isString(l['number']) ? l['number'] : '';
    return [
      {
        id,
        label: isString(l['label']) && l['label'] !== '' ? l['label'] : number || id,
        number,
        registered: l['registered'] === true,
        ringing: num(l['ringing']),
        active: num(l['active']),
        decline: declineOf(l['decline']),
        dnd: l['dnd'] === true,
        featureCodes: parseFeatureCodes(l['featureCodes']),
        ...opt('functions', parseFunctions(l['functions'])),
        ...opt('location', parseLocation(l['location'])),
      },
    ];
  });
}

/**
 * A line's functions (seed 003): undefined when absent or not an object
 * (everything allowed); only an explicit `false` forbids one.
 */
export function parseFunctions(json: unknown): LineFunctions | undefined {
  if (!isRecord(json)) return undefined;
  return {
    hold: json['hold'] !== false,
    transfer: json['transfer'] !== false,
    dtmf: json['dtmf'] !== false,
    secondCall: json['secondCall'] !== false,
  };
}

/**
 * ApiColleagueLine[] from JSON: entries without an id, a pickup code of
 * dialable characters or the own line to pick up on are dropped; the label
 * falls back to the number, then the id. Undefined when not a list.
 */
export function parseColleagues(json: unknown): ApiColleagueLine[] | undefined {
  if (!Array.isArray(json)) return undefined;
  return json.filter(isRecord).flatMap((c): ApiColleagueLine[] => {
    const { id, pickup, viaLine, ringing } = c;
    if (!isString(id) || id === '' || !isString(viaLine) || viaLine === '') return [];
    if (!isString(pickup) || !/^[0-9*#+]+$/.test(pickup)) return [];
    const number = isString(c['number']) ? c['number'] : '';
    const label = isString(c['label']) && c['label'] !== '' ? c['label'] : number || id;
    const count = typeof ringing === 'number' && Number.isFinite(ringing) && ringing > 0;
    return [{ id, label, number, ringing: count ? ringing : 0, pickup, viaLine }];
  });
}

/**
 * A line's feature codes: entries without a name, or whose code is not
 * digits, * and # around at most one <NUMBER> and one <SECONDS>
 * (featureCodeProblem), are dropped.
 */
export function parseFeatureCodes(json: unknown): FeatureCode[] {
  if (!Array.isArray(json)) return [];
  return json.filter(isRecord).flatMap((f): FeatureCode[] => {
    const { name, code } = f;
    if (!isString(name) || name.trim() === '' || !isString(code)) return [];
    if (featureCodeProblem(code) !== undefined) return [];
    return [{ name: name.trim(), code }];
  });
}

/**
 * A line group's location (seed 004): undefined when absent or when a field
 * is missing or of the wrong kind — the numbers are then shown as they come.
 */
export function parseLocation(json: unknown): Location | undefined {
  if (!isRecord(json)) return undefined;
  const { countryCode, areaCode, outsideLine, pbxNumber, extensionDigits } = json;
  const local = json['dialAreaCodeLocally'];
  if (!isString(countryCode) || !/^(\+|00)?[0-9]{1,4}$/.test(countryCode)) return undefined;
  if (!isString(areaCode) || !isString(outsideLine) || !isString(pbxNumber)) return undefined;
  if (typeof extensionDigits !== 'number' || !Number.isInteger(extensionDigits)) return undefined;
  if (local !== undefined && typeof local !== 'boolean') return undefined;
  return {
    countryCode,
    areaCode,
    outsideLine,
    pbxNumber,
    extensionDigits,
    ...opt('dialAreaCodeLocally', local),
  };
}

/**
 * Session.afterSignIn: the line, a dialable number and its name, else
 * undefined (dropped: nothing is dialled).
 */
export function parseAfterSignInAction(json: unknown): AfterSignInAction | undefined {
  if (!isRecord(json)) return undefined;
  const { line, dial, name } = json;
  if (!isString(line) || line === '' || !isString(dial) || !isAfterSignInDial(dial)) {
    return undefined;
  }
  return { line, dial, name: nameOf(name, dial) };
}

/**
 * GET/PUT /api/after-sign-in: `{ dial: null }` or `{ dial, name }`;
 * anything else is 'failed'. A missing name is the number.
 */
export function parseAfterSignIn(json: unknown): AfterSignIn {
  const dial = isRecord(json) ? json['dial'] : undefined;
  if (dial === null) return { dial: null };
  if (!isRecord(json) || !isString(dial) || !isAfterSignInDial(dial)) {
    throw new PhoneError(
      'failed',
      'The gateway sent an after-sign-in action the phone does not understand.',
    );
  }
  return { dial, name: nameOf(json['name'], dial) };
}

const nameOf = (name: unknown, dial: string): string =>
  isString(name) && name.trim() !== '' ? name.trim().slice(0, MAX_AFTER_SIGN_IN_NAME) : dial;

const WHEN: ReadonlySet<unknown> = new Set(['always', 'busy']);
const CALLS: ReadonlySet<unknown> = new Set(['all', 'internal', 'external']);

/**
 * { rules } from GET/PUT /api/forwarding: not an object with a `rules` list
 * is 'failed'; rules with a missing or unknown field are dropped.
 */
export function parseForwarding(json: unknown): ForwardRule[] {
  const list = isRecord(json) ? json['rules'] : undefined;
  if (!Array.isArray(list)) {
    throw new PhoneError(
      'failed',
      'The gateway sent forwarding rules the phone does not understand.',
    );
  }
  return list.filter(isRecord).flatMap((r): ForwardRule[] => {
    const { line, when, calls, target, enabled } = r;
    if (!isString(line) || line === '' || !isString(target) || typeof enabled !== 'boolean')
      return [];
    if (!WHEN.has(when) || !CALLS.has(calls)) return [];
    return [
      {
        line,
        when: when as ForwardRule['when'],
        calls: calls as ForwardRule['calls'],
        target,
        enabled,
      },
    ];
  });
}

/** An unknown or missing decline mode shows both buttons (the gateway decides anyway). */
function declineOf(v: unknown): ApiLine['decline'] {
  return v === 'single' || v === 'hidden' ? v : 'choice';
}

const RESULTS: ReadonlySet<string> = new Set(JOURNAL_RESULTS);

/** { key: value }, or {} when value is undefined (exactOptionalPropertyTypes). */
function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A JournalPage from JSON: not an object with an `entries` list is 'failed';
 * entries without id, direction, line, number or time are dropped, fields
 * of the wrong type (or an unknown result) left out.
 */
export function parseJournalPage(json: unknown): JournalPage {
  const list = isRecord(json) ? json['entries'] : undefined;
  if (!isRecord(json) || !Array.isArray(list)) {
    throw new PhoneError('failed', 'The gateway sent a journal the phone does not understand.');
  }
  const entries = list.filter(isRecord).flatMap((e): JournalEntry[] => {
    const { id, direction, line, remoteNumber, at } = e;
    if (!isString(id) || id === '' || !isString(line) || !isString(remoteNumber) || !isTime(at))
      return [];
    if (direction !== 'incoming' && direction !== 'outgoing') return [];
    const str = (k: string) => (isString(e[k]) && e[k] !== '' ? e[k] : undefined);
    const time = (k: string) => (isTime(e[k]) ? e[k] : undefined);
    const result = e['result'];
    return [
      {
        id,
        direction,
        line,
        remoteNumber,
        at,
        ...opt('user', str('user')),
        ...opt('remoteName', str('remoteName')),
        ...opt('calledNumber', str('calledNumber')),
        ...opt('divertedFrom', str('divertedFrom')),
        ...opt('forwardedTo', str('forwardedTo')),
        ...opt('forwardedBy', str('forwardedBy')),
        ...opt('pickedUp', e['pickedUp'] === true ? true : undefined),
        ...opt('answeredAt', time('answeredAt')),
        ...opt('endedAt', time('endedAt')),
        ...opt('status', time('status')),
        ...opt(
          'result',
          isString(result) && RESULTS.has(result) ? (result as JournalResult) : undefined,
        ),
      },
    ];
  });
  const next = json['next'];
  return isTime(next) ? { entries, next } : { entries };
}
