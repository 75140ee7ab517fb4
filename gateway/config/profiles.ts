/**
 * PBX profiles (issue #7): what a known PBX offers, filled into a line
 * group that does not set it itself. `hfo-crown-centrex` holds the feature
 * codes seed 004 lists as verified on the HFO Crown Centrex vPBX (names as
 * the seed gives them); `generic` holds none.
 *
 * Adding a profile: add its name to PROFILE_NAMES and an entry to PROFILES
 * with the codes as the PBX documents them (`<NUMBER>` where the user gives
 * a number, `<SECONDS>` where they give a time: #shared/feature-codes.ts),
 * and a test in profiles.test.ts.
 */
export const PROFILE_NAMES = ['generic', 'hfo-crown-centrex'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface Profile {
  readonly featureCodes: readonly {
    readonly name: string;
    readonly code: string;
    readonly offer: boolean;
  }[];
  /** The pickup code of the PBX (`<NUMBER>`: the ringing extension). */
  readonly pickupCode: string | undefined;
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  generic: { featureCodes: [], pickupCode: undefined },
  'hfo-crown-centrex': {
    featureCodes: [
      { name: 'Rufnummernunterdrückung ein', code: '*31', offer: true },
      { name: 'Rufnummernunterdrückung aus', code: '*32', offer: true },
      { name: 'Weiterleitung sofort aktivieren', code: '*72*<NUMBER>', offer: true },
      { name: 'Weiterleitung sofort deaktivieren', code: '*72*', offer: true },
      {
        name: 'Weiterleitung nach Zeit aktivieren',
        code: '*72*<NUMBER>*<SECONDS>',
        offer: true,
      },
      { name: 'Weiterleitung sofort und nach Zeit deaktivieren', code: '*73*', offer: true },
      { name: 'DND für Route an', code: '*76', offer: true },
      { name: 'DND für Route aus', code: '*77', offer: true },
      { name: 'DND global an', code: '*78', offer: true },
      { name: 'DND global aus', code: '*79', offer: true },
      { name: 'Klingelnden Anruf in der gleichen Domain annehmen', code: '*80', offer: true },
      { name: 'Anrufbeantworter abhören', code: '*99', offer: true },
      { name: 'Anrufbeantworter anrufen', code: '*990', offer: false },
      { name: 'Neue Ansage aufsprechen', code: '*991', offer: true },
    ],
    pickupCode: '*8<NUMBER>',
  },
};
