/**
 * Finds, reads and validates the config file. A bad file is refused whole
 * with errors that name the key and the line: the gateway never starts
 * half-configured.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { LinegateError } from '#shared/errors.ts';
import { configSchema, type Config } from './schema.ts';

export type ConfigSource =
  { kind: 'file'; path: string; via: 'flag' | 'env' | 'cwd' } | { kind: 'defaults' };

export interface LoadedConfig {
  config: Config;
  source: ConfigSource;
}

/** `--config FILE`, then LINEGATE_CONFIG, then ./linegate.yaml, else built-in defaults. */
export function findConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): ConfigSource {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i >= 0) {
    const arg = argv[i] ?? '';
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
    if (value === undefined || value === '') {
      throw new LinegateError('config.unreadable', '--config needs a file name');
    }
    return { kind: 'file', path: resolve(cwd, value), via: 'flag' };
  }
  const fromEnv = env['LINEGATE_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { kind: 'file', path: resolve(cwd, fromEnv), via: 'env' };
  }
  const local = resolve(cwd, 'linegate.yaml');
  return existsSync(local) ? { kind: 'file', path: local, via: 'cwd' } : { kind: 'defaults' };
}

export function loadConfig(source: ConfigSource): LoadedConfig {
  if (source.kind === 'defaults') return { config: validate({}, undefined, '(defaults)'), source };
  let text: string;
  try {
    text = readFileSync(source.path, 'utf8');
  } catch (cause) {
    throw new LinegateError(
      'config.unreadable',
      `cannot read config file ${source.path}: ${String(cause)}`,
      {
        cause,
        details: { file: source.path },
      },
    );
  }
  return { config: parseConfigText(text, source.path), source };
}

/** Parses YAML text and validates it; errors carry file:line and the key path. */
export function parseConfigText(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0] ?? e.message}`;
    });
    throw new LinegateError(
      'config.unreadable',
      `config file is not valid YAML:\n  ${problems.join('\n  ')}`,
      {
        details: { file, problems },
      },
    );
  }
  const value: unknown = doc.toJS() ?? {};
  return validate(value, { doc, lineCounter }, file);
}

interface Located {
  doc: Document;
  lineCounter: LineCounter;
}

function validate(value: unknown, where: Located | undefined, file: string): Config {
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, where, file));
  throw new LinegateError(
    'config.invalid',
    `invalid configuration (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n  ${problems
      .map((p) => p.text)
      .join('\n  ')}`,
    { details: { file, problems } },
  );
}

function describeIssue(issue: z.core.$ZodIssue, where: Located | undefined, file: string) {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const extra = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const keyPath = extra.length > 0 ? [...path, extra[0] ?? ''] : path;
  const key = formatPath(keyPath);
  const line = where ? lineOf(where, keyPath) : undefined;
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`
      : issue.message;
  const at = line === undefined ? file : `${file}:${line}`;
  return { key, line, message, text: `${at}: ${key || '(top level)'}: ${message}` };
}

/** "lineGroups[0].lines[2].usernames" */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`),
    '',
  );
}

/** Line of the deepest node of `path` that exists in the document (a missing key points at its parent). */
function lineOf(
  { doc, lineCounter }: Located,
  path: readonly (string | number)[],
): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const keyNode = n > 0 ? findKeyNode(doc, path.slice(0, n)) : undefined;
    const target = keyNode ?? node;
    if (isNode(target) && target.range) return lineCounter.linePos(target.range[0]).line;
  }
  return undefined;
}

/** For a map entry, the key's own node (so an unknown key points at its line, not its value's). */
function findKeyNode(doc: Document, path: readonly (string | number)[]): unknown {
  const parent: unknown = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (typeof last !== 'string' || !parent || typeof parent !== 'object' || !('items' in parent))
    return undefined;
  const items = (parent as { items: unknown[] }).items;
  for (const item of items) {
    if (item && typeof item === 'object' && 'key' in item) {
      const k = item.key;
      if (isNode(k) && 'value' in k && (k as { value: unknown }).value === last) return k;
    }
  }
  return undefined;
}
