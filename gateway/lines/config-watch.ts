/**
 * Live config changes (issue #4): the config file is watched (and re-read on
 * SIGHUP); a changed file is validated whole, and only if it is valid do its
 * line groups and users take effect. An invalid file is logged with the key
 * and line of each problem and the running config stays. Other sections
 * (server, sip, media, data, log) need a restart, and the log says so.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { isLinegateError } from '#shared/errors.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';

/** Sections that are read once at start. */
export const RESTART_SECTIONS = ['server', 'sip', 'media', 'data', 'log'] as const;

export type ReloadResult =
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'changed';
      /** The running config with the new line groups and users. */
      readonly config: Config;
      readonly linesChanged: boolean;
      readonly usersChanged: boolean;
      /** Sections that differ but apply only after a restart. */
      readonly restartNeeded: readonly string[];
    };

/** Reads and validates `file` and compares it with what runs. Never throws for a bad file. */
export function readReload(file: string, running: Config): ReloadResult {
  let next: Config;
  try {
    next = loadConfig({ kind: 'file', path: file, via: 'flag' }).config;
  } catch (e) {
    if (isLinegateError(e)) return { kind: 'invalid', message: e.message };
    throw e;
  }
  return compareConfigs(running, next);
}

export function compareConfigs(running: Config, next: Config): ReloadResult {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const linesChanged = !same(running.lineGroups, next.lineGroups);
  const usersChanged = !same(running.users, next.users);
  const restartNeeded = RESTART_SECTIONS.filter((k) => !same(running[k], next[k]));
  if (!linesChanged && !usersChanged && restartNeeded.length === 0) return { kind: 'unchanged' };
  return {
    kind: 'changed',
    config: { ...running, lineGroups: next.lineGroups, users: next.users },
    linesChanged,
    usersChanged,
    restartNeeded,
  };
}

export interface ConfigWatcher {
  close(): void;
}

/**
 * Calls `onChange` once a burst of changes to `file` has settled. The
 * directory is watched, not the file: editors save by writing a new file
 * and renaming it over the old one, which ends a watch on the file itself.
 */
export function watchConfigFile(
  file: string,
  onChange: () => void,
  opts: { readonly log: Logger; readonly debounceMs?: number },
): ConfigWatcher {
  const name = basename(file);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        onChange();
      }, opts.debounceMs ?? 300);
    });
    watcher.on('error', (err) => {
      opts.log.warn({ err, file }, 'config file watch failed: send SIGHUP to reload');
    });
  } catch (err) {
    opts.log.warn({ err, file }, 'cannot watch the config file: send SIGHUP to reload');
  }
  return {
    close: () => {
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
    },
  };
}
