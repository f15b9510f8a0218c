/**
 * Static rules for podium's GitHub Actions files, checked by a test over `.github/workflows/`
 * and `actions/*\/action.yml`: schema-valid (@action-validator/core), every job declares
 * `permissions`, third-party actions pinned by commit SHA, no PR-triggered job on a self-hosted
 * runner, no pull_request_target job that checks out or fetches the PR head, and no PR-controlled
 * `${{ github.event.* }}` text pasted into a shell script.
 */
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

/** One rule violation, naming the file, the job and the step. */
export interface RuleProblem {
  readonly where: string;
  readonly rule: string;
  readonly message: string;
}

const PR_HEAD = /pull_request\.head|github\.head_ref|refs\/pull\/|merge_commit_sha|gh pr checkout/;
const EVENT_EXPRESSION = /\$\{\{[^}]*(github\.event\.|github\.head_ref)[^}]*\}\}/;
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The event names a workflow's `on:` lists. */
export function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return isObject(on) ? Object.keys(on) : [];
}

/** Problems in a workflow file's text; an empty list when it follows every rule. */
export function workflowProblems(file: string, text: string): RuleProblem[] {
  const problems: RuleProblem[] = schemaProblems(file, validateWorkflow(text).errors);
  const doc = parse(text) as Json;
  const events = triggers(doc.on ?? doc.true); // YAML 1.1 readers turn `on` into true
  const onPr = events.some((e) => e.startsWith('pull_request'));
  const onTarget = events.includes('pull_request_target');
  const jobs = isObject(doc.jobs) ? doc.jobs : {};
  for (const [name, job] of Object.entries(jobs)) {
    if (!isObject(job)) continue;
    const where = `${file} jobs.${name}`;
    if (!('permissions' in job)) {
      problems.push({ where, rule: 'job-permissions', message: 'declares no `permissions`' });
    }
    if (onPr) problems.push(...runnerProblems(where, job['runs-on']));
    if (typeof job.uses === 'string') problems.push(...pinProblems(where, job.uses));
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((step: unknown, i: number) => {
      if (isObject(step))
        problems.push(...stepProblems(`${where}.steps[${i}]`, step, onPr, onTarget));
    });
  }
  return problems;
}

/** Problems in a composite action's `action.yml` text. */
export function actionProblems(file: string, text: string): RuleProblem[] {
  const problems = schemaProblems(file, validateAction(text).errors);
  const doc = parse(text) as Json;
  const runs = isObject(doc.runs) ? doc.runs : {};
  const steps = Array.isArray(runs.steps) ? runs.steps : [];
  steps.forEach((step: unknown, i: number) => {
    if (isObject(step))
      problems.push(...stepProblems(`${file} runs.steps[${i}]`, step, false, false));
  });
  return problems;
}

function schemaProblems(file: string, errors: readonly unknown[]): RuleProblem[] {
  return errors.map((e) => {
    const err = e as { path?: string; title?: string; detail?: string };
    return {
      where: `${file} ${err.path ?? ''}`.trim(),
      rule: 'schema',
      message: [err.title, err.detail].filter(Boolean).join(': '),
    };
  });
}

function runnerProblems(where: string, runsOn: unknown): RuleProblem[] {
  const labels = Array.isArray(runsOn)
    ? runsOn.map(String)
    : isObject(runsOn)
      ? [String(runsOn.group ?? ''), ...[runsOn.labels].flat().map(String)]
      : [String(runsOn)];
  const bad = labels.find((l) => l === 'self-hosted' || l.includes('${{'));
  if (bad === undefined) return [];
  return [
    {
      where,
      rule: 'pr-self-hosted',
      message: `runs on ${JSON.stringify(bad)} for a pull_request* event: a PR must never reach a self-hosted runner`,
    },
  ];
}

function pinProblems(where: string, uses: string): RuleProblem[] {
  if (uses.startsWith('./') || uses.startsWith('docker://') || PINNED.test(uses)) return [];
  return [{ where, rule: 'pin-sha', message: `\`${uses}\` is not pinned to a 40-hex commit SHA` }];
}

function stepProblems(where: string, step: Json, onPr: boolean, onTarget: boolean): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const uses = typeof step.uses === 'string' ? step.uses : null;
  if (uses !== null) problems.push(...pinProblems(where, uses));
  const run = typeof step.run === 'string' ? step.run : '';
  if (onTarget && uses?.startsWith('actions/checkout@')) {
    const withs = JSON.stringify(step.with ?? {});
    if (PR_HEAD.test(withs)) {
      problems.push({
        where,
        rule: 'target-checkout-head',
        message: `checks out the PR head (${withs})`,
      });
    }
  }
  if (onTarget && PR_HEAD.test(run)) {
    problems.push({
      where,
      rule: 'target-fetch-head',
      message: 'fetches or checks out the PR head in a script',
    });
  }
  if (onPr && EVENT_EXPRESSION.test(run)) {
    problems.push({
      where,
      rule: 'script-injection',
      message: 'pastes a github.event expression into a shell script; pass it through env: instead',
    });
  }
  return problems;
}
