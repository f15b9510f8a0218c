/**
 * Running podium's composite actions and workflow `run:` steps on this machine the way a GitHub
 * runner does: the action's step `env` template is evaluated against the inputs (defaults
 * applied, unknown inputs refused), the step script runs under `bash -eo pipefail` in the
 * workspace, and the runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, …) are
 * fresh temp files read back afterwards. The environment is built from scratch, so a test sees
 * exactly what a step would get (no secrets leak in from the test process).
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../version.js';

/** An annotation the step printed (`::error title=…::message`). */
export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly title: string | null;
  readonly message: string;
}

/** What one step did. */
export interface StepRun {
  readonly code: number;
  readonly outputs: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly annotations: readonly Annotation[];
}

/** Returns `run` when the step exited 0; throws naming `name`, the exit code and its output. */
export function succeeded(name: string, run: StepRun): StepRun {
  if (run.code !== 0) {
    throw new Error(`${name} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`.trimEnd());
  }
  return run;
}

/** Where and with what a step runs. */
export interface StepContext {
  /** GITHUB_WORKSPACE: the checkout the step runs in. */
  readonly workspace: string;
  /** A folder for RUNNER_TEMP and the runner files. */
  readonly temp: string;
  /** Extra environment, e.g. a secret the workflow passes in `env:`. */
  readonly env?: Readonly<Record<string, string>>;
}

interface ActionYaml {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps: { run?: string; shell?: string; env?: Record<string, string> }[] };
}

/**
 * Runs the composite action in `actions/<name>` with `inputs`. Throws for an input the action
 * does not declare or a required one left out (GitHub would pass an empty string and warn).
 */
export async function runAction(
  name: string,
  inputs: Readonly<Record<string, string>>,
  context: StepContext,
): Promise<StepRun> {
  const dir = join(REPO_ROOT, 'actions', name);
  const action = parse(await readFile(join(dir, 'action.yml'), 'utf8')) as ActionYaml;
  const declared = action.inputs ?? {};
  for (const key of Object.keys(inputs)) {
    if (!(key in declared)) throw new Error(`actions/${name} declares no input "${key}"`);
  }
  const values: Record<string, string> = {};
  for (const [key, spec] of Object.entries(declared)) {
    if (spec.required && inputs[key] === undefined) {
      throw new Error(`actions/${name}: required input "${key}" not given`);
    }
    values[key] = inputs[key] ?? spec.default ?? '';
  }
  if (action.runs.using !== 'composite' || action.runs.steps.length !== 1) {
    throw new Error(`actions/${name}: expected a composite action with one run step`);
  }
  const step = action.runs.steps[0]!;
  const env: Record<string, string> = {};
  for (const [key, template] of Object.entries(step.env ?? {})) {
    env[key] = String(template).replace(/\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g, (_, input) => {
      if (!(input in values))
        throw new Error(`actions/${name}: env ${key} names unknown input ${input}`);
      return values[input as string] ?? '';
    });
  }
  return runStep(step.run ?? '', { ...context, env: { ...env, ...context.env } }, dir);
}

/** Runs a workflow `run:` script (bash -eo pipefail) in the workspace, with `context.env`. */
export function runScript(script: string, context: StepContext): Promise<StepRun> {
  return runStep(script, context, null);
}

async function runStep(script: string, context: StepContext, actionPath: string | null) {
  const files = await runnerFiles(context.temp);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? context.temp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: context.workspace,
    GITHUB_REPOSITORY: 'podium-subnet/podium',
    GITHUB_RUN_ID: '1',
    GITHUB_REF_NAME: 'main',
    RUNNER_TEMP: context.temp,
    RUNNER_NAME: 'test-runner',
    RUNNER_OS: 'Linux',
    ...files,
    ...(actionPath ? { GITHUB_ACTION_PATH: actionPath } : {}),
    ...context.env,
  };
  const { code, stdout, stderr } = await spawnBash(script, context.workspace, env);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(await readFile(files.GITHUB_OUTPUT, 'utf8')),
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    annotations: parseAnnotations(stdout),
  };
}

const RUNNER_FILES = [
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_ENV',
  'GITHUB_STATE',
  'GITHUB_PATH',
] as const;

async function runnerFiles(temp: string): Promise<Record<(typeof RUNNER_FILES)[number], string>> {
  await mkdir(temp, { recursive: true });
  const dir = await mkdtemp(join(resolve(temp), '_runner_file_commands-'));
  const file = (name: string) => join(dir, name.toLowerCase());
  for (const name of RUNNER_FILES) await writeFile(file(name), '');
  return {
    GITHUB_OUTPUT: file('GITHUB_OUTPUT'),
    GITHUB_STEP_SUMMARY: file('GITHUB_STEP_SUMMARY'),
    GITHUB_ENV: file('GITHUB_ENV'),
    GITHUB_STATE: file('GITHUB_STATE'),
    GITHUB_PATH: file('GITHUB_PATH'),
  };
}

function spawnBash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

/** Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM … DELIM` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      out[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** Parses `::error title=T::message` style workflow commands from stdout. */
export function parseAnnotations(stdout: string): Annotation[] {
  const out: Annotation[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const title = /(?:^|,)title=([^,]*)/.exec(m[2] ?? '')?.[1] ?? null;
    out.push({
      level: m[1] as Annotation['level'],
      title: title === null ? null : decodeCommand(title),
      message: decodeCommand(m[3] ?? ''),
    });
  }
  return out;
}

function decodeCommand(text: string): string {
  return text
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

/**
 * Makes `dir` usable as a workspace for the steps, as a job's checkout after `npm ci` is: this
 * repository's node_modules linked in, src/ and package.json copied in (copied, not linked: the
 * CLI compares its own real path with argv[1]), all kept out of git when `dir` is a clone;
 * contests/ and results/ stay the workspace's own.
 */
export async function prepareWorkspace(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir').catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    },
  );
  await cp(join(REPO_ROOT, 'src'), join(dir, 'src'), { recursive: true });
  await cp(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  const exclude = join(dir, '.git', 'info', 'exclude');
  const text = await readFile(exclude, 'utf8').catch(() => null);
  if (text !== null && !text.includes('/node_modules')) {
    await writeFile(exclude, `${text}\n/node_modules\n/src/\n/package.json\n`);
  }
  return dir;
}

/** A `run:` step of a workflow, found by job and step id or name, with its env template. */
export interface WorkflowStep {
  readonly run: string;
  readonly env: Readonly<Record<string, string>>;
}

/** Reads the step of `job` in `.github/workflows/<file>` whose id or name is `step`. */
export async function workflowStep(file: string, job: string, step: string): Promise<WorkflowStep> {
  const doc = parse(await readFile(join(REPO_ROOT, '.github', 'workflows', file), 'utf8')) as {
    jobs: Record<
      string,
      { steps: { id?: string; name?: string; run?: string; env?: Record<string, string> }[] }
    >;
  };
  const found = doc.jobs[job]?.steps.find((s) => s.id === step || s.name === step);
  if (!found?.run) throw new Error(`${file}: no run step "${step}" in job ${job}`);
  return { run: found.run, env: found.env ?? {} };
}

/**
 * Evaluates a step's env template: every `${{ expression }}` must be a key of `values` (the
 * test says what GitHub would substitute); throws naming an expression it was not given.
 */
export function evaluateEnv(
  env: Readonly<Record<string, string>>,
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, template] of Object.entries(env)) {
    out[key] = template.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
      const value = values[expression];
      if (value === undefined)
        throw new Error(`env ${key}: no value given for \${{ ${expression} }}`);
      return value;
    });
  }
  return out;
}

/** A step of a workflow that uses one of this repository's actions, with its `with:` template. */
export interface WorkflowActionStep {
  /** The action's folder name under actions/ (`uses: ./actions/<name>`). */
  readonly action: string;
  readonly with: Readonly<Record<string, string>>;
}

/**
 * Reads the step of `job` in `.github/workflows/<file>` whose id or name is `step` and that uses
 * `./actions/<name>`; throws when there is none. Run it with runAction(step.action,
 * evaluateEnv(step.with, values), context).
 */
export async function workflowActionStep(
  file: string,
  job: string,
  step: string,
): Promise<WorkflowActionStep> {
  const doc = parse(await readFile(join(REPO_ROOT, '.github', 'workflows', file), 'utf8')) as {
    jobs: Record<
      string,
      { steps: { id?: string; name?: string; uses?: string; with?: Record<string, unknown> }[] }
    >;
  };
  const found = doc.jobs[job]?.steps.find((s) => s.id === step || s.name === step);
  const action = /^\.\/actions\/([a-z0-9-]+)$/.exec(found?.uses ?? '')?.[1];
  if (!found || action === undefined) {
    throw new Error(`${file}: no step "${step}" using ./actions/<name> in job ${job}`);
  }
  const inputs = Object.entries(found.with ?? {}).map(([key, value]) => [key, String(value)]);
  return { action, with: Object.fromEntries(inputs) as Record<string, string> };
}
