/**
 * publish-weights action: mode "round" publishes one round and signs its index entry
 * (src/round/publish.ts publishRound); mode "republish" sets the latest signed round's weights
 * again (republishLatest); mode "follow-up" checks the latest round's commit after its reveal
 * (src/chain/followup.ts) and records the outcome in its own file. The hotkey comes from
 * PODIUM_HOTKEY_SEED via the chain layer's loadKeypair, masked in logs; it is never an input.
 */
import * as core from '@actions/core';
import { join } from 'node:path';
import { connectChain, resolveEndpoint } from '../../src/chain/connect.js';
import { followUp } from '../../src/chain/followup.js';
import { isLocalEndpoint, loadKeypair } from '../../src/chain/keys.js';
import type { WeightsDocument } from '../../src/documents/weights.js';
import { loadContest } from '../../src/contest/load.js';
import { actionInput, runAction } from '../../src/github/action.js';
import { readPublishSettings } from '../../src/github/settings/publish-weights.js';
import { readIndex } from '../../src/results/index.js';
import { publishRound, republishLatest, type PublishInput } from '../../src/round/publish.js';

function report(weights: WeightsDocument): void {
  core.setOutput('status', weights.status);
  const commit = weights.commitReveal?.commit ?? weights.timelock?.commit;
  core.setOutput('extrinsic-hash', weights.extrinsicHash ?? commit?.extrinsicHash ?? '');
  core.setOutput('block', String(weights.block?.number ?? commit?.number ?? ''));
  core.setOutput('signer', weights.validator);
  core.setOutput('path', weights.path ?? '');
  if (weights.call) core.info(`call: ${weights.call.text}`);
  if (weights.status === 'dry-run')
    core.notice('dry run: nothing was sent', { title: 'weights dry run' });
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
  const s = await readPublishSettings(actionInput);
  const { contest } = await loadContest(join(s.contests, s.contest));
  const endpoint = resolveEndpoint(contest.chain.endpoint);
  const key = await loadKeypair({
    onSecret: (secret) => core.setSecret(secret),
    allowDev: isLocalEndpoint(endpoint),
  });
  const api = await connectChain(endpoint);
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
