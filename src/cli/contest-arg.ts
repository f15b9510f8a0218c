/**
 * The `--contest` argument of every command: a contest folder (or its contest.json) or the id
 * of a folder under `contests/`. One rule and one error for all commands.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadContest, type LoadedContest } from '../contest/load.js';
import { CliError } from './errors.js';

/** Where ids are looked up when `--contests` is not given. */
export const CONTESTS_DIR = 'contests';

/**
 * The path `--contest <value>` names: `value` itself when it is a folder or a file, else
 * `<contestsDir>/<value>` when that holds a contest.json. Throws CliError naming both places
 * and the ids that exist; `label` names the argument in that message.
 */
export async function contestPath(
  value: string,
  contestsDir = CONTESTS_DIR,
  label = '--contest',
): Promise<string> {
  if (await exists(value)) return value;
  const byId = join(contestsDir, value);
  if (/^[a-z0-9][a-z0-9-]*$/.test(value) && (await exists(join(byId, 'contest.json')))) return byId;
  const known = await contestIds(contestsDir);
  throw new CliError(
    `${label} ${value}: neither a contest folder nor a contest id under ${contestsDir}/ ` +
      `(${known.length > 0 ? `ids there: ${known.join(', ')}` : 'none there'}); ` +
      'give a folder holding contest.json, e.g. --contest contests/<id>, or an id',
  );
}

/** Loads the contest `--contest <value>` names (see contestPath); throws CliError or DocumentError. */
export async function loadContestArg(
  value: string,
  contestsDir = CONTESTS_DIR,
  label = '--contest',
): Promise<LoadedContest> {
  return loadContest(await contestPath(value, contestsDir, label));
}

async function contestIds(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const ids: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() && (await exists(join(dir, e.name, 'contest.json')))) ids.push(e.name);
  }
  return ids.sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
