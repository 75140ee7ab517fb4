/**
 * Header field names: canonical spellings of the headers this stack knows
 * (RFC 3261 §20 and the extensions a gateway meets) and the compact forms
 * (RFC 3261 §7.3.3 plus the IANA-registered ones). Names compare
 * case-insensitively (§7.3.1); a known name is stored in its canonical form.
 */

const CANONICAL = [
  'Accept',
  'Accept-Contact',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Error-Info',
  'Event',
  'Expires',
  'Flow-Timer',
  'From',
  'History-Info',
  'Identity',
  'In-Reply-To',
  'Max-Breadth',
  'Max-Forwards',
  'MIME-Version',
  'Min-Expires',
  'Min-SE',
  'Organization',
  'P-Asserted-Identity',
  'P-Preferred-Identity',
  'Path',
  'Priority',
  'Privacy',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'RAck',
  'Reason',
  'Record-Route',
  'Refer-Sub',
  'Refer-To',
  'Referred-By',
  'Reject-Contact',
  'Replaces',
  'Reply-To',
  'Request-Disposition',
  'Require',
  'Retry-After',
  'Route',
  'RSeq',
  'Security-Client',
  'Security-Server',
  'Security-Verify',
  'Server',
  'Service-Route',
  'Session-Expires',
  'SIP-ETag',
  'SIP-If-Match',
  'Subject',
  'Subscription-State',
  'Supported',
  'Target-Dialog',
  'Timestamp',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
];

/** RFC 3261 §7.3.3 and the IANA "Header Fields" registry's compact forms. */
const COMPACT: Record<string, string> = {
  a: 'Accept-Contact', // RFC 3841
  b: 'Referred-By', // RFC 3892
  c: 'Content-Type',
  d: 'Request-Disposition', // RFC 3841
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact', // RFC 3841
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  o: 'Event', // RFC 6665
  r: 'Refer-To', // RFC 3515
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events', // RFC 6665
  v: 'Via',
  x: 'Session-Expires', // RFC 4028
  y: 'Identity', // RFC 8224
};

const byLower = new Map<string, string>();
for (const name of CANONICAL) {
  byLower.set(name.toLowerCase(), name);
  byLower.set(name, name); // the common case, found without lower-casing
}
for (const [short, long] of Object.entries(COMPACT)) byLower.set(short, long);

/** Canonical long name of a known header (any case, compact or long); else undefined. */
export function knownName(name: string): string | undefined {
  return byLower.get(name) ?? byLower.get(name.toLowerCase());
}

/** The name to store: canonical for known headers, as received otherwise. */
export function canonicalName(name: string): string {
  return knownName(name) ?? name;
}

/** Case-insensitive, compact-aware name comparison. */
export function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  return canonicalName(a).toLowerCase() === canonicalName(b).toLowerCase();
}

/**
 * Headers whose values are never comma-separated lists, because the grammar
 * makes them single-valued or lets a comma appear inside one value (the
 * credentials and challenges of §20.7/§20.44, the Date of §20.17 …).
 */
const SINGLE = new Set(
  [
    'Authentication-Info',
    'Authorization',
    'Call-ID',
    'Content-Length',
    'Content-Type',
    'CSeq',
    'Date',
    'Expires',
    'From',
    'Identity',
    'Max-Forwards',
    'MIME-Version',
    'Min-Expires',
    'Min-SE',
    'Organization',
    'Priority',
    'Proxy-Authenticate',
    'Proxy-Authorization',
    'RAck',
    'Refer-To',
    'Referred-By',
    'Replaces',
    'Reply-To',
    'Retry-After',
    'RSeq',
    'Server',
    'Session-Expires',
    'SIP-ETag',
    'SIP-If-Match',
    'Subject',
    'Subscription-State',
    'Timestamp',
    'To',
    'User-Agent',
    'WWW-Authenticate',
    'Event',
  ].map((n) => n.toLowerCase()),
);

/** True when headerValues() must not split the header at commas. */
export function isSingleValued(name: string): boolean {
  return SINGLE.has(canonicalName(name).toLowerCase());
}
