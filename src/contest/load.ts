/**
 * Loading contest definitions: schema validation (every problem at once) followed by the rules a
 * schema cannot express (id = folder name, input folder exists, pareto needs objectives…).
 */
import { budgetRules } from './budget-rules.js';
import { readdir, stat, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, relative, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DocumentError, type Problem } from '../json/errors.js';
import { checkDocument, parseJson, type Frozen } from '../json/file.js';
import { ContestSchema, type ContestDocument } from './schema.js';
import { taskRules } from '../tasks/contest-rules.js';

/** Input element types the benchmark can build tensors of (src/bench/inputs.ts). */

/** A validated, immutable contest definition with defaults filled in. */
export type Contest = Frozen<ContestDocument>;

/** A contest and where it was loaded from. */
export interface LoadedContest {
  /** Path of `contest.json`. */
  readonly file: string;
  /** The contest folder; relative paths and `file:` URLs in the contest resolve against it. */
  readonly dir: string;
  readonly contest: Contest;
}

/**
 * Loads `contest.json` from a contest folder (or the file itself). Returns the typed contest;
 * throws DocumentError listing every problem, or a fs error when the file cannot be read.
 */
export async function loadContest(path: string): Promise<LoadedContest> {
  const file = (await isDirectory(path)) ? join(path, 'contest.json') : path;
  const text = await readFile(file, 'utf8');
  return checkContest(file, parseJson(file, text));
}

/** Validates already-parsed contest data found at `file`; throws DocumentError. */
export async function checkContest(file: string, data: unknown): Promise<LoadedContest> {
  const contest = checkDocument(file, data, ContestSchema);
  const dir = dirname(file);
  const problems = await contestRules(contest, dir);
  if (problems.length > 0) throw new DocumentError(file, problems);
  return { file, dir, contest };
}

async function contestRules(c: Contest, dir: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  const folder = basename(resolve(dir));
  if (folder !== c.id && basename(dirname(resolve(dir))) === 'contests') {
    problems.push({
      pointer: '/id',
      rule: 'folder-name',
      message: `must equal the contest folder name "${folder}"`,
      value: c.id,
    });
  }
  if (c.schedule.cadence === 'weekly' && c.schedule.weekday === undefined) {
    problems.push({
      pointer: '/schedule/weekday',
      rule: 'weekly-needs-weekday',
      message: 'is required when cadence is "weekly"',
    });
  }
  if (c.schedule.opens && c.schedule.closes && c.schedule.closes < c.schedule.opens) {
    problems.push({
      pointer: '/schedule/closes',
      rule: 'order',
      message: `must not be before opens (${c.schedule.opens})`,
      value: c.schedule.closes,
    });
  }
  if (c.scoring.strategy === 'pareto' && c.scoring.objectives === undefined) {
    problems.push({
      pointer: '/scoring/objectives',
      rule: 'pareto-needs-objectives',
      message: 'is required when strategy is "pareto"',
    });
  }
  const seen = new Set<string>();
  c.metrics.forEach((m, i) => {
    if (seen.has(m.name)) {
      problems.push({
        pointer: `/metrics/${i}/name`,
        rule: 'unique',
        message: 'appears twice in metrics',
        value: m.name,
      });
    }
    seen.add(m.name);
  });
  if (c.baseline.model.bytes > c.limits.artifactBytes) {
    problems.push({
      pointer: '/baseline/model/bytes',
      rule: 'artifact-limit',
      message: `must not exceed limits.artifactBytes (${c.limits.artifactBytes})`,
      value: c.baseline.model.bytes,
    });
  }
  problems.push(...budgetRules(c));
  problems.push(...benchmarkCannot(c));
  if (c.inputs.source.type === 'directory') {
    const inputDir = resolve(dir, c.inputs.source.path);
    if (!isInside(dir, inputDir) || !(await isDirectory(inputDir))) {
      problems.push({
        pointer: '/inputs/source/path',
        rule: 'exists',
        message: 'must be an existing folder inside the contest folder',
        value: c.inputs.source.path,
      });
    }
  }
  const training = c.inputs.groundTruth?.trainingPath;
  if (training !== undefined) {
    const trainingDir = resolve(dir, training);
    if (!isInside(dir, trainingDir) || !(await isDirectory(trainingDir))) {
      problems.push({
        pointer: '/inputs/groundTruth/trainingPath',
        rule: 'exists',
        message: 'must be an existing folder inside the contest folder',
        value: training,
      });
    }
  }
  return [...problems, ...taskRules(c)];
}

/**
 * What the schema allows but the benchmark cannot run yet, so that `podium validate` never
 * accepts a contest that `podium bench` then fails on (the task's own rules add the rest:
 * src/tasks/contest-rules.ts). Pure.
 */
function benchmarkCannot(c: Contest): Problem[] {
  const problems: Problem[] = [];
  if (c.inputs.source.type === 'archive') {
    problems.push({
      pointer: '/inputs/source/type',
      rule: 'benchmark-supports',
      message:
        'is not supported by the benchmark yet: ship the inputs as image files in a folder of the contest ({"type": "directory", "path": "inputs"})',
      value: 'archive',
    });
  }
  return problems;
}

/**
 * Loads every `contests/<id>/contest.json` under `root`. Returns them sorted by id; throws one
 * DocumentError per bad file (aggregated into an AggregateError) or for duplicate ids.
 */
export async function loadContests(root: string): Promise<LoadedContest[]> {
  const names = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const loaded: LoadedContest[] = [];
  const errors: Error[] = [];
  for (const name of names) {
    const file = join(root, name, 'contest.json');
    if (!(await exists(file))) continue;
    try {
      loaded.push(await loadContest(file));
    } catch (err) {
      errors.push(err as Error);
    }
  }
  const byId = new Map<string, string>();
  for (const l of loaded) {
    const other = byId.get(l.contest.id);
    if (other) {
      errors.push(
        new DocumentError(l.file, [
          {
            pointer: '/id',
            rule: 'unique',
            message: `is already used by ${other}`,
            value: l.contest.id,
          },
        ]),
      );
    }
    byId.set(l.contest.id, l.file);
  }
  if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  return loaded.sort((a, b) => a.contest.id.localeCompare(b.contest.id));
}

/**
 * Resolves an artifact URL from a contest: `https:` as is; `file:` relative to the contest
 * folder (`file:../../.cache/models/x.onnx`) or absolute (`file:///…`).
 */
export function resolveArtifactUrl(url: string, contestDir: string): URL {
  return new URL(url, pathToFileURL(resolve(contestDir) + '/'));
}

/** Returns the local path of a `file:` artifact URL resolved against `contestDir`. */
export function artifactPath(url: string, contestDir: string): string {
  const resolved = resolveArtifactUrl(url, contestDir);
  if (resolved.protocol !== 'file:') throw new Error(`${url} is not a file: URL`);
  return fileURLToPath(resolved);
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
