import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionViolations, workflowViolations } from './workflow-security.js';

const WORKFLOWS = '.github/workflows';

async function workflowFiles(): Promise<string[]> {
  return (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f)).sort();
}

function rules(name: string, yaml: string): string[] {
  return workflowViolations(name, yaml).map((v) => `${v.rule} ${v.where}`);
}

describe('workflow security', () => {
  it('holds for every workflow and action in the repository', async () => {
    const found = [];
    const files = await workflowFiles();
    expect(files).toEqual(expect.arrayContaining(['round.yml', 'weights.yml']));
    for (const f of files) {
      found.push(...workflowViolations(f, await readFile(join(WORKFLOWS, f), 'utf8')));
    }
    for (const dir of await readdir('actions')) {
      const file = join('actions', dir, 'action.yml');
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text !== null) found.push(...actionViolations(file, text));
    }
    expect(found).toEqual([]);
  });

  it('gives the hotkey secret to the publish job of each workflow only, in the chain environment', async () => {
    for (const f of ['round.yml', 'weights.yml']) {
      const doc = parse(await readFile(join(WORKFLOWS, f), 'utf8')) as {
        jobs: Record<string, { environment?: string }>;
      };
      const withSecret = Object.entries(doc.jobs)
        .filter(([, job]) => JSON.stringify(job).includes('secrets.PODIUM_HOTKEY_SEED'))
        .map(([name, job]) => `${name} ${job.environment}`);
      expect(withSecret, f).toEqual(['publish chain']);
    }
  });
});

const GOOD_STEP = `      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`;

describe('the security rules catch what they are for', () => {
  it('a workflow default that grants permissions', () => {
    expect(rules('x.yml', 'on: push\npermissions: write-all\njobs: {}\n')).toEqual([
      'workflow-permissions x.yml permissions',
    ]);
  });

  it('a job holding contents: write and the hotkey secret', () => {
    const yaml = `on: workflow_dispatch
permissions: {}
jobs:
  commit:
    runs-on: ubuntu-latest
    environment: chain
    permissions: { contents: write }
    steps:
      - run: npx podium
        env:
          PODIUM_HOTKEY_SEED: \${{ secrets.PODIUM_HOTKEY_SEED }}
`;
    expect(rules('x.yml', yaml)).toEqual(['write-with-secret x.yml jobs.commit']);
  });

  it('a github-pages job that holds more than pages and id-token, or runs more than deploy-pages', () => {
    const job = (permissions: string, extra = '') => `on: workflow_dispatch
permissions: {}
jobs:
  pages:
    runs-on: ubuntu-latest
    environment: { name: github-pages }
    permissions: ${permissions}
    steps:
${extra}      - uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
`;
    expect(rules('x.yml', job('{ pages: write, id-token: write }'))).toEqual([]);
    expect(rules('x.yml', job('{ pages: write, id-token: write, contents: write }'))).toEqual([
      'write-with-secret x.yml jobs.pages',
    ]);
    expect(
      rules('x.yml', job('{ pages: write, id-token: write }', '      - run: ./build.sh\n')),
    ).toEqual(['write-with-secret x.yml jobs.pages']);
  });

  it('a secret outside the chain environment, in job env, or pasted into a script', () => {
    const yaml = `on: workflow_dispatch
permissions: {}
jobs:
  score:
    runs-on: ubuntu-latest
    permissions: { contents: read }
    env:
      SEED: \${{ secrets.PODIUM_HOTKEY_SEED }}
    steps:
      - run: echo \${{ secrets.PODIUM_HOTKEY_SEED }}
      - run: true
        env:
          SEED: \${{ secrets.PODIUM_HOTKEY_SEED }}
`;
    expect(rules('x.yml', yaml)).toEqual([
      'secret-scope x.yml jobs.score',
      'secret-scope x.yml jobs.score.steps[0]',
      'run-expression x.yml jobs.score.steps[0]',
      'secret-scope x.yml jobs.score.steps[1]',
    ]);
  });

  it('a self-hosted job in a workflow that also runs on push, or without a dispatch guard', () => {
    const yaml = `on: [push, workflow_dispatch]
permissions: {}
jobs:
  benchmark:
    runs-on: [self-hosted, podium, gpu]
    permissions: { contents: read }
    steps: [{ run: echo }]
`;
    expect(rules('x.yml', yaml)).toEqual([
      'self-hosted-trigger x.yml on',
      'self-hosted-trigger x.yml jobs.benchmark',
    ]);
  });

  it('a job of round.yml with more permissions than its row of the table', () => {
    const yaml = `on: workflow_dispatch
permissions: {}
concurrency: { group: g, cancel-in-progress: true }
jobs:
  score:
    runs-on: ubuntu-latest
    permissions: { contents: write }
    steps: [{ run: echo }]
`;
    expect(rules('round.yml', yaml)).toEqual([
      'job-permissions-table round.yml jobs.score',
      'no-cancel round.yml concurrency',
    ]);
  });

  it('an unverified SHA, a tag, or a pin without its version comment', () => {
    const yaml = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
${GOOD_STEP}
      - uses: actions/checkout@0000000000000000000000000000000000000000 # v4.2.2
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020
      - uses: someone/action@v1
`;
    expect(rules('x.yml', yaml)).toEqual([
      'verified-pin x.yml jobs.a.steps[1]',
      'verified-pin x.yml jobs.a.steps[2]',
      'verified-pin x.yml jobs.a.steps[3]',
    ]);
  });

  it('a commit job that pushes before uploading the round', () => {
    const yaml = `on: workflow_dispatch
permissions: {}
concurrency: { group: g, cancel-in-progress: false }
jobs:
  commit:
    runs-on: ubuntu-latest
    permissions: { contents: write }
    steps:
      - uses: ./actions/commit
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
`;
    expect(rules('round.yml', yaml)).toEqual(['artifact-before-push round.yml jobs.commit']);
  });

  it('an expression pasted into a composite action script', () => {
    const yaml = `name: a
description: a
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "\${{ inputs.contest }}"
`;
    expect(actionViolations('actions/a/action.yml', yaml).map((v) => v.rule)).toEqual([
      'run-expression',
    ]);
  });
});

describe('composite actions', () => {
  it('run their entry with tsx directly, never through npx (whose sh drops hyphenated INPUT_* variables)', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { parse } = await import('yaml');
    const root = join(import.meta.dirname, '..', 'actions');
    const names = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory());
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const dir of names) {
      const action = parse(await readFile(join(root, dir.name, 'action.yml'), 'utf8')) as {
        runs: { steps: { run?: string }[] };
      };
      for (const step of action.runs.steps) {
        expect({ action: dir.name, run: step.run }).not.toMatchObject({
          run: expect.stringMatching(/\bnpx\b/),
        });
        expect(step.run).toContain(
          '"$GITHUB_WORKSPACE/node_modules/.bin/tsx" "$GITHUB_ACTION_PATH/main.ts"',
        );
      }
    }
  });
});
