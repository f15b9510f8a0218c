/**
 * The CLI's error types and the one place that decides how an error reaches the user: a user
 * error (bad input, a failed check, a file that is not there) is one line naming what was wrong
 * and what to do; anything else is a bug in podium and keeps its stack.
 */
import { ChainError } from '../chain/errors.js';
import { BenchError, ModelRejection } from '../bench/errors.js';
import { EntryError } from '../entries/create.js';
import { GitHistoryError } from '../entries/history.js';
import { InputError } from '../github/inputs.js';
import { CanonicalJsonError } from '../json/canonical.js';
import { DocumentError } from '../json/errors.js';
import { ModelSourceError } from '../models/errors.js';
import { ResultsError } from '../results/errors.js';
import { ScheduleError } from '../schedule/rounds.js';
import { ScoreInputError } from '../score/errors.js';

/** A failure the CLI reports as one clear message and exit code 1 (not a stack trace). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad arguments: reported with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Error types whose message is already written for the user (each boundary's own type). */
const USER_ERRORS: readonly (abstract new (...args: never[]) => Error)[] = [
  CliError,
  DocumentError,
  ChainError,
  BenchError,
  ModelRejection,
  EntryError,
  GitHistoryError,
  InputError,
  CanonicalJsonError,
  ModelSourceError,
  ResultsError,
  ScheduleError,
  ScoreInputError,
];

const FS_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of this path is a file, not a folder',
  EISDIR: 'is a folder where a file is expected',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
};

/**
 * The lines to print for `err` when it is a user error (its own message, or a file-system
 * error turned into `<path>: <problem>; check the path …`); null for anything else (a bug).
 */
export function userErrorLines(err: unknown): string[] | null {
  if (err instanceof AggregateError && err.errors.every((e) => userErrorLines(e) !== null)) {
    return err.errors.flatMap((e) => userErrorLines(e) ?? []);
  }
  if (USER_ERRORS.some((type) => err instanceof type)) return [(err as Error).message];
  const fs = err as NodeJS.ErrnoException;
  const problem = typeof fs?.code === 'string' ? FS_PROBLEMS[fs.code] : undefined;
  if (problem !== undefined && typeof fs.path === 'string') {
    const dest =
      typeof (fs as { dest?: unknown }).dest === 'string'
        ? ` → ${String((fs as { dest?: unknown }).dest)}`
        : '';
    return [`${fs.path}${dest}: ${problem} (${fs.code}); check the path and run the command again`];
  }
  return null;
}
