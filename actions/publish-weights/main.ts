/**
 * publish-weights action: mode "round" publishes one round and signs its index entry
 * (src/round/publish.ts publishRound); mode "republish" sets the latest signed round's weights
 * again (republishLatest); mode "follow-up" checks the latest round's commit after its reveal
 * (src/chain/followup.ts) and records the outcome in its own file; mode "subnet" publishes one
 * netuid's combined vector and signs every contest round it covers. A contest listed in a
 * subnet file (`subnets/<netuid>.json`) always publishes its subnet's combined vector
 * (src/round/subnet-publish.ts). The hotkey comes from PODIUM_HOTKEY_SEED via the chain
 * layer's loadKeypair, masked in logs; it is never an input.
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
import { publishSubnet, type SubnetSelection } from '../../src/round/subnet-publish.js';
import type { PublishSettings } from '../../src/github/settings/publish-weights.js';
import { loadSubnets, subnetOf, type LoadedSubnet } from '../../src/subnet/load.js';
import { InputError } from '../../src/github/inputs.js';

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

/** The subnet file for this run: by netuid (mode subnet) or the one listing the contest. */
async function subnetFor(s: PublishSettings): Promise<LoadedSubnet | null> {
  const subnets = await loadSubnets(s.subnets, s.contests);
  if (s.mode !== 'subnet') return subnetOf(subnets, s.contest);
  const found = subnets.find((n) => n.subnet.netuid === s.netuid);
  if (!found) {
    throw new InputError(
      'netuid',
      `names no subnet file: ${s.subnets}/${s.netuid}.json does not exist (got "${s.netuid}")`,
    );
  }
  return found;
}

/** Mode round or subnet (or republish) for a contest that shares its netuid. */
async function runSubnet(
  s: PublishSettings,
  subnet: LoadedSubnet,
  input: PublishInput,
): Promise<void> {
  const selection: SubnetSelection =
    s.mode === 'round'
      ? { kind: 'round', contest: s.contest, round: s.round }
      : s.mode === 'subnet'
        ? { kind: 'pending' }
        : { kind: 'signed' };
  const published = await publishSubnet(
    { ...input, subnet, resultsRoot: s.results },
    selection,
    s.out,
  );
  for (const c of published.weights.subnet?.contests ?? []) {
    core.info(`${c.id}: share ${c.share}, round ${c.round ?? 'none'}, ${c.status}`);
    if (c.message)
      core.notice(`${c.message}: ${c.toFallback} to the fallback uid`, {
        title: 'subnet share to fallback',
      });
  }
  for (const signed of published.signed) {
    core.info(`signed ${signed.contest} ${signed.round}: ${signed.entry.hash}`);
  }
  const entry = published.signed.find((e) => e.contest === s.contest)?.entry;
  if (entry) core.setOutput('entry-hash', entry.hash);
  core.setOutput('signed', published.signed.map((e) => `${e.contest}/${e.round}`).join(' '));
  report(published.weights);
}

await runAction(async () => {
  const s = await readPublishSettings(actionInput);
  const subnet = s.mode === 'follow-up' ? null : await subnetFor(s);
  const contestId = s.mode === 'subnet' ? (subnet?.members[0]?.id ?? '') : s.contest;
  const { contest } = await loadContest(join(s.contests, contestId));
  const endpoint = resolveEndpoint(contest.chain.endpoint);
  const key = await loadKeypair({
    onSecret: (secret) => core.setSecret(secret),
    allowDev: isLocalEndpoint(endpoint),
  });
  const api = await connectChain(endpoint);
  const input: PublishInput = {
    api,
    key,
    resultsDir: join(s.results, contestId),
    netuid: contest.chain.netuid,
    dryRun: s.dryRun,
    log: (line) => core.info(line),
  };
  try {
    core.summary.addHeading(
      `publish-weights ${s.mode === 'subnet' ? `netuid ${s.netuid}` : s.contest} ${s.round || '(latest)'}`,
      2,
    );
    if (subnet !== null) {
      await runSubnet(s, subnet, input);
    } else if (s.mode === 'round') {
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
