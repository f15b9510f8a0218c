/**
 * The round pipeline end to end on this machine, each stage run the way round.yml runs it
 * (test/harness.ts): against the local Subtensor chain, into a temp git repository with a bare
 * remote, with a concurrent push landing during the commit job.
 *
 *   collect  actions/collect                     (real chain: cutoff block, commitments)
 *   bench    actions/benchmark, two shards       (real onnxruntime, isolated children)
 *   score    actions/score
 *   commit   round.yml's `results add --push` script, racing another pusher
 *   publish  actions/publish-weights             (real set_weights, signed index entry)
 *   record   round.yml's `results record --push` script
 *   verify   podium verify on a fresh clone      (hashes, chain, signature, score re-run)
 *   weights  weights.yml's republish             (skipped by the rate limit, then set)
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModel, tempContest } from '../src/bench/testing/contest.js';
import { commitSubmission } from '../src/chain/commitments.js';
import { DEV_PATHS, devNewBlock, devTimeTravel } from '../src/chain/dev.js';
import { readWeightsAt } from '../src/chain/subnet-params.js';
import { startChainFixture, type ChainFixture } from '../src/chain/testing.js';
import { signEntry } from '../src/entries/sign.js';
import { canonicalJson } from '../src/json/canonical.js';
import { readDocument } from '../src/json/file.js';
import { git } from '../src/results/git.js';
import { makeGitFixture, raceBeforePush, type GitFixture } from '../src/results/testing.js';
import { schemaId } from '../src/schemas/builders.js';
import {
  evaluateEnv,
  prepareWorkspace,
  runAction,
  runScript,
  succeeded,
  workflowActionStep,
} from '../src/github/local-runner.js';
import { RoundSchema } from '../src/documents/round.js';
import { WeightsSchema } from '../src/documents/weights.js';

const CONTEST = 'e2e';
const GENESIS_MS = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
const CUTOFF_MS = GENESIS_MS + 30 * 60_000; // 90 minutes ago: the round is due now
const CUTOFF_HHMM = new Date(CUTOFF_MS).toISOString().slice(11, 16);
const ROUND = new Date(CUTOFF_MS).toISOString().slice(0, 10);
const BEFORE_CUTOFF = `${Math.floor((GENESIS_MS + 60_000) / 1000)} +0000`;

let fx: ChainFixture;
let root: string;
let repo: GitFixture;
let workspace: string;

beforeAll(async () => {
  fx = await startChainFixture({
    chain: { genesisTimestampMs: GENESIS_MS },
    subnet: { miners: 2, weightsSetRateLimit: 3 },
  });
  root = await mkdtemp(join(tmpdir(), 'podium-pipeline-'));
  repo = await makeGitFixture(root);
  workspace = await prepareWorkspace(await repo.clone('workspace'));
}, 300_000);
afterAll(async () => {
  await fx?.close();
  await rm(root, { recursive: true, force: true });
});

/** Commits everything in the workspace with a committer date before the cutoff, and pushes. */
async function commitBeforeCutoff(message: string): Promise<void> {
  await git(workspace, ['add', 'contests']);
  const env = { GIT_AUTHOR_DATE: BEFORE_CUTOFF, GIT_COMMITTER_DATE: BEFORE_CUTOFF };
  await runScript(`git commit --quiet -m "${message}" && git push --quiet origin HEAD:main`, {
    workspace,
    temp: join(root, 'tmp'),
    env: { ...env, GIT_AUTHOR_NAME: 'miner', GIT_AUTHOR_EMAIL: 'miner@example.org' },
  }).then((r) => succeeded('step', r));
}

/** The contest, in the workspace: the demo contest on the real models, on the local subnet. */
async function writeContest(): Promise<void> {
  const loaded = await tempContest((c) => {
    c.id = CONTEST;
    c.chain = { netuid: fx.subnet.netuid, endpoint: 'local' };
    c.schedule = { cadence: 'daily', cutoff: CUTOFF_HHMM, timeZone: 'UTC' };
    (c.scoring as { bootstrapResamples?: number }).bootstrapResamples = 200;
  });
  await cp(loaded.dir, join(workspace, 'contests', CONTEST), { recursive: true });
}

/** Each miner commits its model on chain and adds a signed entry file. */
async function enterMiners(): Promise<void> {
  // Not the baseline's byte copy: collect refuses an entry naming a contest artifact's sha256.
  const models = [await demoModel('esrgan-slim-x2'), await demoModel('esrgan-medium-x2-fp16')];
  for (const [i, key] of fx.minerKeys.entries()) {
    const model = models[i]!;
    await commitSubmission(fx.api, key, fx.subnet.netuid, CONTEST, model.sha256);
    const entry = signEntry(
      {
        $schema: schemaId('entry'),
        version: 1,
        contest: CONTEST,
        hotkey: key.address,
        model,
        createdAt: new Date(GENESIS_MS + 30_000).toISOString(),
      },
      key,
    );
    const file = join(workspace, 'contests', CONTEST, 'entries', `${key.address}.json`);
    await mkdir(join(workspace, 'contests', CONTEST, 'entries'), { recursive: true });
    await writeFile(file, canonicalJson(entry));
  }
}

describe('the round pipeline', () => {
  it('runs collect → benchmark → score → commit (racing a push) → publish → record, and verifies', async () => {
    const temp = join(root, 'tmp');
    const ctx = (extra: Record<string, string> = {}) => ({
      workspace,
      temp,
      env: { PODIUM_CHAIN_ENDPOINT_LOCAL: fx.chain.endpoint, ...extra },
    });
    await writeContest();
    await enterMiners();
    await commitBeforeCutoff('contest and entries');
    // dev_timeTravel rewrites the head's timestamp: build one more block before the cutoff first.
    await devNewBlock(fx.api, 1);
    await devTimeTravel(fx.api, CUTOFF_MS + 60_000);
    await devNewBlock(fx.api, 4);

    // collect
    const roundDir = join(temp, 'round');
    const collect = succeeded(
      'step',
      await runAction(
        'collect',
        { contest: CONTEST, out: roundDir, 'allow-file-urls': 'true' },
        ctx(),
      ),
    );
    const round = await readDocument(join(roundDir, 'round.json'), RoundSchema);
    expect(round.rejected).toEqual([]);
    expect(collect.outputs).toMatchObject({ round: ROUND, stage: 'collect', submissions: '2' });
    expect(round.submissions.map((s) => s.hotkey)).toEqual(fx.minerKeys.map((k) => k.address));
    expect(round.cutoff.blockTimestampMs).toBeLessThanOrEqual(CUTOFF_MS);

    // benchmark: the matrix of two shards, each its own job and artifact, merged by download
    for (const shard of ['0', '1']) {
      const out = join(temp, `bench-${shard}`);
      const bench = succeeded(
        'step',
        await runAction(
          'benchmark',
          {
            contest: `contests/${CONTEST}`,
            round: join(roundDir, 'round.json'),
            shard,
            shards: '2',
            out,
          },
          ctx(),
        ),
      );
      expect(bench.outputs.runner).toBe(`test-runner-shard-${shard}`);
      await cp(join(out, 'bench'), join(roundDir, 'bench'), { recursive: true });
    }

    // score, in a checkout beside the earlier rounds, as the score job does
    const scoreDir = join(workspace, 'results', CONTEST, ROUND);
    await cp(roundDir, scoreDir, { recursive: true });
    const score = succeeded('step', await runAction('score', { round: scoreDir }, ctx()));
    expect(score.outputs.submissions).toBe('2');
    await cp(join(scoreDir, 'score.json'), join(roundDir, 'score.json'));
    await rm(join(workspace, 'results'), { recursive: true });

    // commit, while another push lands first
    const other = await repo.clone('other');
    await writeFile(join(other, 'NOTES.md'), 'a concurrent commit\n');
    await git(other, ['add', 'NOTES.md']);
    await git(other, ['commit', '--quiet', '-m', 'concurrent']);
    await raceBeforePush(
      workspace,
      other,
      'git pull --quiet --rebase origin main && git push --quiet origin HEAD:main',
    );
    const values = {
      'inputs.contest': CONTEST,
      'needs.collect.outputs.round': ROUND,
      'github.ref_name': 'main',
      'runner.temp': temp,
    };
    const commitStep = await workflowActionStep('round.yml', 'commit', 'push');
    const commit = succeeded(
      'step',
      await runAction(commitStep.action, evaluateEnv(commitStep.with, values), ctx()),
    );
    expect(commit.outputs).toMatchObject({ status: 'pushed', attempts: '2' });
    expect(await git(repo.remote, ['show', 'main:NOTES.md'])).toBe('a concurrent commit\n');

    // publish, on a checkout of the pushed commit, with the hotkey as the only secret
    const publisher = await prepareWorkspace(await repo.clone('publisher'));
    await git(publisher, ['checkout', '--quiet', commit.outputs.commit!]);
    await devNewBlock(fx.api, 3);
    const record = join(temp, 'record');
    const publish = succeeded(
      'step',
      await runAction(
        'publish-weights',
        { contest: CONTEST, round: ROUND, out: record },
        { ...ctx({ PODIUM_HOTKEY_SEED: DEV_PATHS.validator }), workspace: publisher },
      ),
    );
    expect(publish.outputs).toMatchObject({ status: 'set', signer: fx.subnet.validator.hotkey });
    // The runner swallows ::add-mask:: and masks the value everywhere else; it appears nowhere else.
    const shown = publish.stdout.replace(`::add-mask::${DEV_PATHS.validator}\n`, '');
    expect(shown).not.toContain(DEV_PATHS.validator);
    expect(publish.stdout).toContain(`::add-mask::${DEV_PATHS.validator}`);
    const weights = await readDocument(join(record, ROUND, 'weights.json'), WeightsSchema);
    const block = weights.block!.hash as `0x${string}`;
    const onChain = await readWeightsAt(fx.api, fx.subnet.netuid, 0, block);
    expect(onChain).toEqual(weights.readBack);

    // record
    await git(workspace, ['pull', '--quiet', '--rebase', 'origin', 'main']);
    const recordStep = await workflowActionStep('round.yml', 'record', 'record');
    succeeded(
      'step',
      await runAction(recordStep.action, evaluateEnv(recordStep.with, values), ctx()),
    );

    // an auditor's fresh clone verifies, re-running the score, with the validator it trusts and
    // the chain: the set_weights that weights.json records must have been sent by that hotkey
    const auditor = await prepareWorkspace(await repo.clone('auditor'));
    const verify = await runScript(
      `npx --no-install tsx src/cli/main.ts verify results/${CONTEST} --validator ${fx.subnet.validator.hotkey} --endpoint ${fx.chain.endpoint}`,
      {
        workspace: auditor,
        temp,
      },
    );
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(
      new RegExp(
        `^ok {4}${ROUND} {2}7 file\\(s\\).*signer ${fx.subnet.validator.hotkey}.*score re-run: passed$`,
        'm',
      ),
    );
    expect(verify.stdout).toMatch(/; on chain: 1 weights extrinsic\(s\) sent by the validator$/m);

    // weights.yml: re-publishing at once is refused by the rate limit (a notice, not a failure)
    const republish = (extra: Record<string, string>, inputs: Record<string, string> = {}) =>
      runAction(
        'publish-weights',
        { mode: 'republish', contest: CONTEST, ...inputs },
        { ...ctx({ PODIUM_HOTKEY_SEED: DEV_PATHS.validator, ...extra }), workspace: auditor },
      ).then((r) => succeeded('step', r));
    const early = await republish({});
    expect(early.outputs.status).toBe('skipped');
    expect(early.annotations).toContainEqual(
      expect.objectContaining({ level: 'notice', title: 'weights skipped: rate-limit' }),
    );
    await devNewBlock(fx.api, 3);
    // `dry-run: True` is YAML 1.2's true: the exact call is printed and nothing is sent, so the
    // rate limit still lets the real re-publish through right after.
    const dry = await republish({}, { 'dry-run': 'True' });
    expect(dry.outputs.status).toBe('dry-run');
    expect(dry.stdout).toMatch(/call: subtensorModule\.setWeights\(/);
    expect((await republish({})).outputs).toMatchObject({ status: 'set' });

    // the next trigger has nothing to do for this contest
    const again = succeeded(
      'step',
      await runAction(
        'collect',
        { contest: CONTEST, out: roundDir },
        { ...ctx(), workspace: auditor },
      ),
    );
    expect(again.outputs.stage).toBe('none');
    const index = JSON.parse(
      await readFile(join(auditor, 'results', CONTEST, 'index.json'), 'utf8'),
    );
    expect(index.entries).toHaveLength(1);
  }, 600_000);
});
