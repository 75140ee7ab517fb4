/**
 * The configuration schema: one zod schema, validated once at load. Every
 * object is strict, so a misspelt key is an error naming it instead of a
 * silently ignored setting. Names follow the contract in DESIGN.md.
 */
import { cpus } from 'node:os';
import { z } from 'zod';
import { expandUsernames } from './usernames.ts';
import { PROFILE_NAMES, PROFILES } from './profiles.ts';
import { featureCodeProblem } from '#shared/feature-codes.ts';

const port = z.number().int().min(1).max(65535);
/** Listening ports may be 0: the OS picks a free one (tests; the log says which). */
const listenPort = z.number().int().min(0).max(65535);
const host = z.string().min(1);
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

const tls = z.strictObject({
  cert: z.string().min(1).describe('path of the PEM certificate (chain)'),
  key: z.string().min(1).describe('path of the PEM private key'),
});

const server = z
  .strictObject({
    host: host.default('127.0.0.1'),
    port: listenPort.default(8080),
    tls: tls.optional(),
    /** The address browsers reach the gateway at (ICE host candidates). */
    publicAddress: host.optional(),
  })
  .superRefine((s, ctx) => {
    // Browsers grant the microphone only to secure contexts: HTTPS, or plain
    // HTTP on a loopback origin (W3C Secure Contexts §3.1).
    if (s.tls === undefined && !isLoopback(s.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['host'],
        message: `plain HTTP is allowed on loopback only (browsers need HTTPS for the microphone): set server.tls { cert, key } or use host 127.0.0.1`,
      });
    }
  });

export function isLoopback(h: string): boolean {
  return (
    h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
  );
}

const sip = z.strictObject({
  host: host.default('127.0.0.1'),
  port: listenPort.default(5060),
  /** The address the PBX reaches the gateway at (Contact, Via). */
  publicAddress: host.optional(),
  /** RFC 3261 §17.1.1.1 timer values in ms. */
  timers: z
    .strictObject({
      t1: z.number().int().min(50).max(10_000).default(500),
      t2: z.number().int().min(500).max(60_000).default(4000),
      t4: z.number().int().min(500).max(60_000).default(5000),
    })
    .prefault({}),
});

const media = z
  .strictObject({
    rtpPorts: z
      .tuple([port, port])
      .refine(([a, b]) => a <= b && b - a >= 3, 'needs FROM <= TO with at least 4 ports')
      .default([20000, 20999]),
    workers: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(() => Math.max(1, cpus().length)),
    publicAddress: host.optional(),
    /**
     * STUN/TURN servers for the browser leg, for browsers behind NAT:
     * "stun:host:port" or "turn:user:password@host:port" (also given to the
     * PWA in its session).
     */
    iceServers: z
      .array(
        z.string().regex(/^(stun|turns?):[^\s]+$/, 'stun:HOST:PORT or turn:USER:PASS@HOST:PORT'),
      )
      .default([]),
  })
  .prefault({});

const codecName = z.enum(['opus', 'PCMA', 'PCMU']);
const declineCode = z.union([z.literal(486), z.literal(480), z.literal(603), z.literal(180)]);

const lineEntry = z.strictObject({
  usernames: z.union([z.string(), z.number().int().nonnegative()]).transform((v, ctx) => {
    const r = expandUsernames(String(v));
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.usernames;
  }),
  password: z.string().min(1),
  authUser: z.string().min(1).optional(),
  displayName: z.string().optional(),
  numbers: z.union([z.literal('auto'), z.array(z.string().regex(/^\+?[0-9*#]+$/))]).optional(),
});

const featureCode = z.strictObject({
  name: z.string().min(1),
  code: z.string().superRefine((code, ctx) => {
    const problem = featureCodeProblem(code);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  }),
  offer: z.boolean().default(true),
});

const lineGroup = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, - and _'),
    name: z.string().optional(),
    registrar: z.strictObject({ host, port: port.default(5060) }),
    reregisterSeconds: seconds(10, 86_400).default(600),
    registerDelayMs: z.number().int().min(0).max(60_000).default(300),
    natRefreshSeconds: seconds(0, 3600).default(30),
    /** RFC 5626 §4.5 base-time of the retry back-off after a failed registration. */
    retrySeconds: seconds(1, 3600).default(30),
    authUserFromUsername: z.boolean().default(true),
    /** Extra source addresses (besides the registrar) allowed to send requests. */
    trustedAddresses: z.array(host).default([]),
    lines: z.array(lineEntry).default([]),
    codecs: z
      .strictObject({
        pbx: z
          .array(z.enum(['PCMA', 'PCMU']))
          .min(1)
          .default(['PCMA', 'PCMU']),
        client: z.array(codecName).min(1).default(['opus', 'PCMA']),
      })
      .prefault({}),
    location: z
      .strictObject({
        countryCode: z.string().regex(/^\d{1,3}$/),
        areaCode: z
          .string()
          .regex(/^\d{0,6}$/)
          .default(''),
        outsideLine: z
          .string()
          .regex(/^[0-9*#]{0,4}$/)
          .default(''),
        pbxNumber: z.string().regex(/^\d*$/).default(''),
        extensionDigits: z.number().int().min(1).max(10).default(3),
        /** Seed 004 "Im Ortsnetz immer mit Vorwahl wählen": dial the area code inside the own area too. */
        dialAreaCodeLocally: z.boolean().default(false),
      })
      .optional(),
    decline: z
      .strictObject({
        noClient: declineCode.default(486),
        byClient: z.union([z.literal('clientChoice'), declineCode]).default('clientChoice'),
        hideDeclineButton: z.boolean().default(false),
      })
      .prefault({}),
    journal: z.boolean().default(true),
    /** A known PBX (config/profiles.ts): its feature codes and pickup code unless set here. */
    profile: z.enum(PROFILE_NAMES).default('generic'),
    /** Default: the profile's. */
    featureCodes: z.array(featureCode).optional(),
    pickupCode: z
      .string()
      .regex(/^[0-9*#]*<NUMBER>[0-9*#]*$/)
      .optional(),
    mailboxForwarding: z.boolean().default(false),
    /** Seed 003 "Funktionen": what users of the group's lines may do in a call. */
    functions: z
      .strictObject({
        hold: z.boolean().default(true),
        transfer: z.boolean().default(true),
        dtmf: z.boolean().default(true),
        secondCall: z.boolean().default(true),
      })
      .prefault({}),
  })
  .transform((g) => ({
    ...g,
    featureCodes: g.featureCodes ?? PROFILES[g.profile].featureCodes.map((f) => ({ ...f })),
    pickupCode: g.pickupCode ?? PROFILES[g.profile].pickupCode,
  }));

const user = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" and "-"'),
  password: z.string().min(1),
  displayName: z.string().optional(),
  lines: z.array(z.string().regex(/^[a-z0-9_-]+\/.+$/, 'written as GROUP/USERNAME')).default([]),
  mailbox: z
    .string()
    .regex(/^[0-9*#+]+$/)
    .optional(),
  pickup: z.boolean().default(false),
  admin: z.boolean().default(false),
});

const configBase = z.strictObject({
  server: server.prefault({}),
  sip: sip.prefault({}),
  media,
  data: z.string().min(1).default('./data'),
  /** The call journal (store/journal.ts): entries older than this are deleted. */
  journal: z
    .strictObject({ retentionDays: z.number().int().min(1).max(3650).default(365) })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    })
    .prefault({}),
  lineGroups: z.array(lineGroup).default([]),
  users: z.array(user).default([]),
});

export const configSchema = configBase.superRefine(checkReferences);

/** Cross-references a per-field schema cannot see: unique ids, known lines. */
function checkReferences(cfg: z.output<typeof configBase>, ctx: z.RefinementCtx): void {
  const lines = new Set<string>();
  cfg.lineGroups.forEach((g, gi) => {
    if (cfg.lineGroups.findIndex((o) => o.id === g.id) !== gi) {
      ctx.addIssue({
        code: 'custom',
        path: ['lineGroups', gi, 'id'],
        message: `duplicate line group id "${g.id}"`,
      });
    }
    g.lines.forEach((entry, li) => {
      if (!g.authUserFromUsername && entry.authUser === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['lineGroups', gi, 'lines', li, 'authUser'],
          message: 'authUser is needed when the group has authUserFromUsername: false',
        });
      }
      for (const u of entry.usernames) {
        const id = `${g.id}/${u}`;
        if (lines.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['lineGroups', gi, 'lines', li, 'usernames'],
            message: `line ${id} is listed twice`,
          });
        }
        lines.add(id);
      }
    });
  });
  cfg.users.forEach((u, ui) => {
    if (cfg.users.findIndex((o) => o.username === u.username) !== ui) {
      ctx.addIssue({
        code: 'custom',
        path: ['users', ui, 'username'],
        message: `duplicate user "${u.username}"`,
      });
    }
    u.lines.forEach((l, li) => {
      if (!lines.has(l)) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', ui, 'lines', li],
          message: `unknown line "${l}" (no line group lists it)`,
        });
      }
    });
  });
}

export type Config = z.output<typeof configSchema>;
export type LineGroupConfig = Config['lineGroups'][number];
export type UserConfig = Config['users'][number];
