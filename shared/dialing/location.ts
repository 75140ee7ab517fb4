/**
 * A line group's location ("Standort", seed 004): where the PBX is and how
 * it is dialled. The fields are those of `lineGroups[].location` in the
 * config; `dialAreaCodeLocally` is the seed's "Im Ortsnetz immer mit
 * Vorwahl wählen" (always dial the area code, also inside the own area).
 */
import { conventionsFor, type Conventions } from './conventions.ts';

export type Location = {
  /** Without "+" or "00": "49". */
  readonly countryCode: string;
  /** Without the trunk prefix: "89" for Munich ("089" is read as "89" too). */
  readonly areaCode: string;
  /** Dialled before every number leaving the PBX ("Amtskennziffer"): "0", or "" (cloud PBX). */
  readonly outsideLine: string;
  /** The PBX's base number in its area ("Anlagenrufnummer"), "" when it has none. */
  readonly pbxNumber: string;
  /** Length of the extensions ("Durchwahlbereich"): 3 for 100–999. */
  readonly extensionDigits: number;
  readonly dialAreaCodeLocally?: boolean | undefined;
};

/** A location with its country's conventions, cleaned up once. */
export interface ResolvedLocation {
  readonly countryCode: string;
  readonly areaCode: string;
  readonly outsideLine: string;
  readonly pbxNumber: string;
  readonly extensionDigits: number;
  /** The own area's numbers are dialled with the area code (configured, or the country's rule). */
  readonly areaCodeLocally: boolean;
  readonly conventions: Conventions;
}

export function resolveLocation(loc: Location): ResolvedLocation {
  const countryCode = loc.countryCode.replace(/^(\+|00)/, '');
  const conventions = conventionsFor(countryCode);
  const { trunkPrefix } = conventions;
  const areaCode =
    conventions.trunkNeverInNationalNumber && loc.areaCode.startsWith(trunkPrefix)
      ? loc.areaCode.slice(trunkPrefix.length)
      : loc.areaCode;
  return {
    countryCode,
    areaCode,
    outsideLine: loc.outsideLine,
    pbxNumber: loc.pbxNumber,
    extensionDigits:
      Number.isInteger(loc.extensionDigits) && loc.extensionDigits > 0 ? loc.extensionDigits : 0,
    areaCodeLocally:
      loc.dialAreaCodeLocally === true ||
      conventions.alwaysDialAreaCode ||
      conventions.trunkPrefix === '',
    conventions,
  };
}
