import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionProblems, workflowProblems } from './workflow-rules.js';

const WORKFLOWS = '.github/workflows';

async function files(dir: string, match: RegExp): Promise<string[]> {
  return (await readdir(dir)).filter((f) => match.test(f)).map((f) => join(dir, f));
}

describe('the repository workflows and actions', () => {
  it('include the entry check on pull_request_target', async () => {
    expect(await files(WORKFLOWS, /\.ya?ml$/)).toContain('.github/workflows/entry.yml');
  });

  it('are valid, declare permissions per job, pin actions by SHA, keep PRs off self-hosted runners and never check out a PR head with the base token', async () => {
    const problems = [];
    for (const file of await files(WORKFLOWS, /\.ya?ml$/)) {
      problems.push(...workflowProblems(file, await readFile(file, 'utf8')));
    }
    for (const dir of await readdir('actions')) {
      const file = join('actions', dir, 'action.yml');
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text !== null) problems.push(...actionProblems(file, text));
    }
    expect(problems).toEqual([]);
  });
});

const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';

function rules(yaml: string): string[] {
  return workflowProblems('w.yml', yaml).map((p) => `${p.rule} ${p.where}`);
}

describe('the workflow rules catch what they are for', () => {
  it('a pull_request_target job that checks out the PR head', () => {
    expect(
      rules(`on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: { contents: read }
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: git fetch origin refs/pull/1/head
`),
    ).toEqual([
      'target-checkout-head w.yml jobs.build.steps[0]',
      'target-fetch-head w.yml jobs.build.steps[1]',
    ]);
  });

  it('a pull_request job on a self-hosted runner, by label, list, group or expression', () => {
    const job = (runsOn: string) => `on: [push, pull_request]
jobs:
  bench:
    runs-on: ${runsOn}
    permissions: {}
    steps: [{ run: echo }]
`;
    for (const runsOn of [
      'self-hosted',
      '[self-hosted, podium, gpu]',
      '{ group: gpus, labels: [self-hosted] }',
      '${{ matrix.runner }}',
    ]) {
      expect(rules(job(runsOn)), runsOn).toEqual(['pr-self-hosted w.yml jobs.bench']);
    }
    expect(
      rules(job('[self-hosted, podium]').replace('[push, pull_request]', 'workflow_dispatch')),
    ).toEqual([]);
  });

  it('a job without permissions, an unpinned action and a script-injected PR title', () => {
    expect(
      rules(`on: pull_request
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-node@v4
      - run: echo "\${{ github.event.pull_request.title }}"
`),
    ).toEqual([
      'job-permissions w.yml jobs.lint',
      'pin-sha w.yml jobs.lint.steps[0]',
      'script-injection w.yml jobs.lint.steps[1]',
    ]);
  });

  it("a workflow that does not match GitHub's schema", () => {
    expect(
      rules('on: push\njobs:\n  a:\n    runs-on: x\n    permissions: {}\n    stepz: []\n')[0],
    ).toMatch(/^schema w\.yml \/jobs\/a/);
  });
});
