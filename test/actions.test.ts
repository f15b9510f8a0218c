/**
 * The round actions run as a GitHub runner runs them (test/harness.ts), on the paths that need
 * no chain: planning a round that is already indexed, resuming one at publish, and refusing a
 * bad input. The full pipeline against the local chain is test/pipeline.test.ts.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git } from '../src/results/git.js';
import { acceptIndex, signRound } from '../src/results/index.js';
import { devKeyPair, makeGitFixture, writeRoundFixture } from '../src/results/testing.js';
import { addRoundFiles } from '../src/results/write.js';
import { REPO_ROOT } from '../src/version.js';
import { prepareWorkspace, runAction } from '../src/github/local-runner.js';

const CONTEST = 'sr-x2-demo';
const HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const NOW = '2026-03-12T21:00:00Z'; // after the 2026-03-12 cutoff (12:00 America/Los_Angeles)
let root: string;
let workspace: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-actions-'));
  workspace = await prepareWorkspace(join(root, 'workspace'));
  await cp(join(REPO_ROOT, 'contests', CONTEST), join(workspace, 'contests', CONTEST), {
    recursive: true,
  });
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function commitRoundFiles(round: string, signed: boolean): Promise<void> {
  const results = join(workspace, 'results', CONTEST);
  const from = await writeRoundFixture(join(root, 'staging', round), CONTEST, round, [HOTKEY]);
  await addRoundFiles(results, round, from);
  if (signed) {
    await acceptIndex(results, (await signRound(results, round, await devKeyPair('Alice'))).index);
  }
}

const context = () => ({ workspace, temp: join(root, 'tmp') });

describe('actions/collect', () => {
  it('plans nothing when the latest due round is indexed, and says why', async () => {
    await commitRoundFiles('2026-03-12', true);
    const run = await runAction('collect', { contest: CONTEST, out: 'out', now: NOW }, context());
    expect(run.code, run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ round: '', stage: 'none', 'runner-label': 'cpu-demo' });
    expect(run.annotations).toContainEqual({
      level: 'notice',
      title: 'round —: none',
      message: 'every due round is indexed (last: 2026-03-12); nothing to do',
    });
    expect(run.summary).toContain('<td>stage</td><td>none</td>');
  });

  it('resumes a committed but unsigned round at publish, with the benchmark matrix outputs', async () => {
    await commitRoundFiles('2026-03-11', true);
    await commitRoundFiles('2026-03-12', false);
    // score.json marks the round as committed through the score job.
    await cp(
      join(workspace, 'results', CONTEST, '2026-03-12', 'round.json'),
      join(workspace, 'results', CONTEST, '2026-03-12', 'score.json'),
    );
    const run = await runAction(
      'collect',
      { contest: CONTEST, out: 'out', now: NOW, shards: '2' },
      context(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({
      round: '2026-03-12',
      stage: 'publish',
      cutoff: '2026-03-12T19:00:00.000Z',
      shards: '[0,1]',
      'shard-count': '2',
      'onnxruntime-install': 'skip',
    });
  });

  it('fails the step naming the input when the contest is not an id', async () => {
    const run = await runAction('collect', { contest: '../etc', out: 'out' }, context());
    expect(run.code).toBe(1);
    expect(run.annotations).toContainEqual({
      level: 'error',
      title: null,
      message: 'input "contest" must be a contest id like "sr-x2-demo" (got "../etc")',
    });
  });
  it('receives hyphenated inputs (npx would drop INPUT_MAX-CATCH-UP under dash)', async () => {
    const inputs = { contest: CONTEST, out: 'out', now: NOW, 'max-catch-up': 'zero' };
    const run = await runAction('collect', inputs, context());
    expect(run.code).toBe(1);
    expect(run.annotations[0]?.message).toBe(
      'input "max-catch-up" must be a positive integer (got "zero")',
    );
  });
});

describe('actions/publish-weights', () => {
  it('never takes the hotkey as an input and fails clearly without the secret', async () => {
    await commitRoundFiles('2026-03-12', false);
    const run = await runAction(
      'publish-weights',
      { contest: CONTEST, round: '2026-03-12', out: 'record' },
      context(),
    );
    expect(run.code).toBe(1);
    expect(run.annotations[0]?.message).toMatch(/no hotkey secret: set PODIUM_HOTKEY_SEED/);
  });

  it('refuses dry-run "yes" naming the input, before reading the key or touching the chain', async () => {
    await commitRoundFiles('2026-03-12', false);
    const run = await runAction(
      'publish-weights',
      { contest: CONTEST, round: '2026-03-12', out: 'record', 'dry-run': 'yes' },
      { ...context(), env: { PODIUM_HOTKEY_SEED: '//Alice' } },
    );
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([
      { level: 'error', title: null, message: 'input "dry-run" must be true or false (got "yes")' },
    ]);
  });
});

describe('actions/commit', () => {
  it('commits and pushes a round (mode round), and reports the pushed commit', async () => {
    const fixture = await makeGitFixture(root);
    const repo = await prepareWorkspace(await fixture.clone('checkout'));
    const round = '2026-03-12';
    const from = await writeRoundFixture(join(root, 'artifact'), CONTEST, round, [HOTKEY]);
    const inputs = { contest: CONTEST, round, from, branch: 'main' };
    const run = await runAction('commit', inputs, { workspace: repo, temp: join(root, 'tmp') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const pushed = (await git(fixture.remote, ['rev-parse', 'main'])).trim();
    expect(run.outputs).toEqual({ commit: pushed, status: 'pushed', attempts: '1' });
    const files = await git(fixture.remote, ['ls-tree', '-r', '--name-only', 'main']);
    expect(files).toContain(`results/${CONTEST}/${round}/round.json`);
    const author = await git(fixture.remote, ['log', '-1', '--format=%an', 'main']);
    expect(author.trim()).toBe('github-actions[bot]');
  });

  it('refuses an unknown mode naming the input, and pushes nothing', async () => {
    const fixture = await makeGitFixture(root);
    const repo = await prepareWorkspace(await fixture.clone('checkout'));
    const before = await git(fixture.remote, ['rev-parse', 'main']);
    const inputs = {
      mode: 'publish',
      contest: CONTEST,
      round: '2026-03-12',
      from: root,
      branch: 'main',
    };
    const run = await runAction('commit', inputs, { workspace: repo, temp: join(root, 'tmp') });
    expect(run.code).toBe(1);
    expect(run.annotations[0]?.message).toBe(
      'input "mode" must be "round" or "record" (got "publish")',
    );
    expect(await git(fixture.remote, ['rev-parse', 'main'])).toBe(before);
  });
});
