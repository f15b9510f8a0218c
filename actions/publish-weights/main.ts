/**
 * publish-weights action: mode "round" publishes one round and signs its index entry
 * (src/results/publish.ts publishRound); mode "republish" sets the latest signed round's weights
 * again (republishLatest). The hotkey comes from PODIUM_HOTKEY_SEED via the chain layer's
 * loadKeypair, masked in logs; it is never an input.
 */
import * as core from '@actions/core';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { connectChain, resolveEndpoint } from '../../src/chain/connect.js';
import { followUp } from '../../src/chain/followup.js';
import { loadKeypair } from '../../src/chain/keys.js';
import type { WeightsDocument } from '../../src/chain/schema.js';
import { loadContest } from '../../src/contest/load.js';
import { optionalInput, requiredInput, runAction } from '../../src/github/action.js';
import { readIndex } from '../../src/results/index.js';
import { publishRound, republishLatest, type PublishInput } from '../../src/results/publish.js';
import { slugInput } from '../../src/results/settings.js';

interface Settings {
  readonly mode: 'round' | 'republish' | 'follow-up';
  readonly contest: string;
  readonly round: string;
  readonly out: string;
  readonly contests: string;
  readonly results: string;
  readonly dryRun: boolean;
}

async function settings(): Promise<Settings> {
  const mode = optionalInput('mode', 'round');
  if (mode !== 'round' && mode !== 'republish' && mode !== 'follow-up') {
    throw new Error(`input "mode" must be "round", "republish" or "follow-up" (got "${mode}")`);
  }
  const contests = optionalInput('contests', 'contests');
  const named = optionalInput('contest', '');
  const contest = named !== '' || mode === 'round' ? named : await onlyContest(contests);
  return {
    mode,
    contest: slugInput('contest', contest),
    round: mode === 'round' ? requiredInput('round') : '',
    out: mode === 'round' ? requiredInput('out') : '',
    contests,
    results: optionalInput('results', 'results'),
    dryRun: optionalInput('dry-run', 'false') === 'true',
  };
}

async function onlyContest(dir: string): Promise<string> {
  const ids = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory());
  if (ids.length === 1 && ids[0]) return ids[0].name;
  throw new Error(
    `input "contest" is empty and ${dir} holds ${ids.length} contests: name one ` +
      '(workflow input or the PODIUM_WEIGHTS_CONTEST variable)',
  );
}

function report(weights: WeightsDocument): void {
  core.setOutput('status', weights.status);
  const commit = weights.commitReveal?.commit ?? weights.timelock?.commit;
  core.setOutput('extrinsic-hash', weights.extrinsicHash ?? commit?.extrinsicHash ?? '');
  core.setOutput('block', String(weights.block?.number ?? commit?.number ?? ''));
  core.setOutput('signer', weights.validator);
  core.setOutput('path', weights.path ?? '');
  if (weights.skipped)
    core.notice(weights.skipped.message, { title: `weights skipped: ${weights.skipped.reason}` });
  core.summary.addTable([
    ['uid', 'hotkey', 'u16'],
    ...weights.weights.map((w) => [String(w.uid), w.hotkey, String(w.value)]),
  ]);
  for (const d of weights.dropped) core.warning(d.message, { title: `dropped: ${d.reason}` });
}

/** Follows up the latest signed round's commit; records go to results/<contest>/weights-log/<round>/. */
async function followUpLatest(input: PublishInput): Promise<void> {
  const round = (await readIndex(input.resultsDir)).entries.at(-1)?.round;
  if (round === undefined) return core.notice('no signed round yet; nothing to follow up');
  const done = await followUp(
    input.api,
    input.key,
    join(input.resultsDir, round, 'weights.json'),
    join(input.resultsDir, 'weights-log', round),
  );
  core.setOutput('follow-up', done.action);
  core.setOutput('record', done.file ?? '');
  core.info(`${round}: ${done.action}: ${done.message}`);
}

await runAction(async () => {
  const s = await settings();
  const { contest } = await loadContest(join(s.contests, s.contest));
  const key = await loadKeypair({ onSecret: (secret) => core.setSecret(secret) });
  const api = await connectChain(resolveEndpoint(contest.chain.endpoint));
  const input: PublishInput = {
    api,
    key,
    resultsDir: join(s.results, s.contest),
    netuid: contest.chain.netuid,
    dryRun: s.dryRun,
    log: (line) => core.info(line),
  };
  try {
    core.summary.addHeading(`publish-weights ${s.contest} ${s.round || '(latest)'}`, 2);
    if (s.mode === 'round') {
      const published = await publishRound(input, s.round, s.out);
      core.setOutput('entry-hash', published.entry.hash);
      report(published.weights);
      core.summary.addRaw(`signed index entry ${published.entry.hash}`, true);
    } else if (s.mode === 'follow-up') {
      await followUpLatest(input);
    } else {
      const weights = await republishLatest(input);
      if (weights === null) core.notice(`${s.contest}: no signed round yet; nothing to re-publish`);
      else report(weights);
    }
    await core.summary.write();
  } finally {
    await api.disconnect();
  }
});
