/**
 * publish-weights: maps the round's hotkey weights to uids at the current block, checks every
 * rule the runtime would check (version key, permit, rule lengths, rate limit), then sends one
 * `set_weights` — or, when the subnet requires commit-reveal, one `commit_weights` whose reveal
 * is a second, separate step (revealWeights). Each step is a single extrinsic, so weights are
 * never half-published; a skipped step is a typed result, not an exception.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { schemaId } from '../schemas/builders.js';
import { PODIUM_VERSION, podiumCommit } from '../version.js';
import { ChainError } from './errors.js';
import { uidOf, type Metagraph, type Neuron } from './metagraph.js';
import type { WeightsDocument } from '../documents/weights.js';
import { pendingCommits } from './pending.js';
import { commitSalt } from './salt.js';
import { readContext, readWeightsAt, type SubnetParams } from './subnet-params.js';
import { signAndWait } from './submit.js';
import { buildCall, type BuiltCall, type CommitScheme } from './weights-call.js';
import {
  planWeights,
  rateLimit,
  revealWindow,
  weightRuleProblem,
  type PlannedWeight,
} from './weights.js';

/** Options of publishWeights. */
export interface PublishOptions {
  /** version_key to send; must be ≥ the subnet's WeightsVersionKey (when that is not 0). */
  readonly versionKey: number;
  /** Build and record the exact call without sending it. */
  readonly dryRun?: boolean;
  /** Receives one line per notable event (dropped hotkeys, skips). Default: silent. */
  readonly log?: (line: string) => void;
  /** Called with the extrinsic hash once the node accepted it. */
  readonly onSubmitted?: (extrinsicHash: `0x${string}`) => void;
  /** Wait for inclusion (default) or finality. */
  readonly waitFor?: 'inBlock' | 'finalized';
  /** The weights input, recorded in the document. */
  readonly source?: { readonly path: string; readonly sha256: string } | null;
  /** Commit scheme when the subnet has commit-reveal on (default auto: timelock where offered). */
  readonly commitScheme?: CommitScheme;
}

/**
 * Publishes `weightsByHotkey` (any non-negative numbers; scaled so the largest is 65535) for
 * `keypair`'s validator hotkey on `netuid`. Returns the weights document: status 'set',
 * 'committed' (commit-reveal: call revealWeights in the reveal window), 'skipped' (rate limit,
 * nothing to set) or 'dry-run'. Throws ChainError('input') when the validator is not registered
 * or has no permit, the version key is too low or the vector breaks the subnet's rules;
 * ChainError('shape') when the subnet needs a commit scheme podium cannot produce; see
 * signAndWait for send failures.
 */
export async function publishWeights(
  api: ApiPromise,
  keypair: KeyringPair,
  netuid: number,
  weightsByHotkey: Readonly<Record<string, number>>,
  options: PublishOptions,
): Promise<WeightsDocument> {
  const log = options.log ?? (() => undefined);
  const { metagraph, params } = await readContext(api, netuid);
  const validator = requireValidator(metagraph, keypair.address, params, options.versionKey);
  const plan = planWeights(weightsByHotkey, (hotkey) => uidOf(metagraph, hotkey));
  for (const d of plan.dropped) log(`dropped: ${d.message}`);
  const base = baseDocument(netuid, validator, options, metagraph, plan);
  if (plan.weights.every((w) => w.value === 0)) {
    const message = 'no hotkey with a positive weight is registered on the subnet: nothing to set';
    log(`skipped: ${message}`);
    return { ...base, status: 'skipped', skipped: { reason: 'no-weights', message } };
  }
  checkRules(plan.weights, validator, metagraph, params);
  const next = metagraph.block.number + 1;
  const limit = rateLimit(validator.lastUpdate, params.rateLimit, next);
  if (!limit.ok) {
    const message =
      `validator uid ${validator.uid} last set weights at block #${validator.lastUpdate}; WeightsSetRateLimit is ` +
      `${params.rateLimit} blocks, so the next update may land at #${limit.nextAllowedBlock} (now #${metagraph.block.number})`;
    log(`skipped: ${message}`);
    return { ...base, status: 'skipped', skipped: { reason: 'rate-limit', message } };
  }
  const pending = params.commitReveal
    ? await pendingSkip(api, netuid, keypair.address, metagraph)
    : null;
  if (pending) {
    log(`skipped: ${pending.message}`);
    return { ...base, status: 'skipped', skipped: pending };
  }
  const built = await buildCall(api, {
    hotkey: keypair.address,
    netuid,
    weights: plan.weights,
    params,
    versionKey: options.versionKey,
    scheme: options.commitScheme,
    salt: (vector) => commitSalt(keypair, { netuid, ...vector, versionKey: options.versionKey }),
  });
  const call = { text: built.text, callData: built.tx.method.toHex() };
  const timelock = built.timelock ? { ...built.timelock, commit: null } : null;
  log(`path: ${built.path}`);
  if (timelock) {
    log(
      `timelock: reveal at block #${timelock.expectedRevealBlock} with drand round ${timelock.revealRound}`,
    );
  }
  const planned = { ...base, path: built.path, timelock, call };
  if (options.dryRun) return { ...planned, status: 'dry-run' };
  return send(api, keypair, planned, built, params, options);
}

async function send(
  api: ApiPromise,
  keypair: KeyringPair,
  doc: WeightsDocument,
  built: BuiltCall,
  params: SubnetParams,
  options: PublishOptions,
): Promise<WeightsDocument> {
  const inclusion = await signAndWait(api, keypair, built.tx, {
    what: `${built.text} from ${keypair.address}`,
    waitFor: options.waitFor ?? 'inBlock',
    ...(options.onSubmitted ? { onSubmitted: options.onSubmitted } : {}),
  });
  const block = { number: inclusion.blockNumber, hash: inclusion.blockHash };
  if (doc.timelock) {
    const commit = { ...block, extrinsicHash: inclusion.extrinsicHash };
    options.log?.(
      `committed timelocked weights at #${block.number}; the runtime reveals them at ` +
        `#${doc.timelock.expectedRevealBlock} once drand round ${doc.timelock.revealRound} is on chain`,
    );
    return { ...doc, status: 'committed', timelock: { ...doc.timelock, commit } };
  }
  if (built.commit) {
    const window = revealWindow(block.number, doc.netuid, params.tempo, params.revealPeriodEpochs);
    options.log?.(
      `committed weights at #${block.number}; reveal between #${window.first} and #${window.last}`,
    );
    const commit = { ...block, extrinsicHash: inclusion.extrinsicHash };
    // The salt is not recorded: it is re-derived from the hotkey secret at reveal (ADR 0072).
    const commitHash = built.commit.hash;
    return {
      ...doc,
      status: 'committed',
      commitReveal: { commitHash, salt: null, commit, revealWindow: window },
    };
  }
  const readBack = await readWeightsAt(api, doc.netuid, doc.validatorUid, block.hash);
  return { ...doc, status: 'set', block, extrinsicHash: inclusion.extrinsicHash, readBack };
}

async function pendingSkip(
  api: ApiPromise,
  netuid: number,
  hotkey: string,
  metagraph: Metagraph,
): Promise<{ reason: 'pending-commit'; message: string } | null> {
  const { hash, number } = metagraph.block;
  const pending = await pendingCommits(api, netuid, hotkey, hash, number);
  if (pending.length === 0) return null;
  const what = pending.map((p) => p.description).join('; ');
  return {
    reason: 'pending-commit',
    message:
      `a commit of ${hotkey} is still pending on subnet ${netuid} (${what}); podium sends no ` +
      'second commit until it is revealed or gone',
  };
}

function requireValidator(
  metagraph: Metagraph,
  hotkey: string,
  params: SubnetParams,
  versionKey: number,
): Neuron {
  const neuron = metagraph.neurons.find((n) => n.hotkey === hotkey);
  if (!neuron) {
    throw new ChainError(
      'input',
      `validator hotkey ${hotkey} is not registered on subnet ${metagraph.netuid} at #${metagraph.block.number}; ` +
        'check PODIUM_HOTKEY_SEED is the validator hotkey and the netuid is right',
    );
  }
  if (params.versionKey !== 0 && versionKey < params.versionKey) {
    throw new ChainError(
      'input',
      `version key ${versionKey} is below subnet ${metagraph.netuid}'s WeightsVersionKey ${params.versionKey}; ` +
        'upgrade podium (or set the contest version key the subnet expects)',
    );
  }
  return neuron;
}

function checkRules(
  weights: readonly PlannedWeight[],
  validator: Neuron,
  metagraph: Metagraph,
  params: SubnetParams,
): void {
  const self = weights.length === 1 && weights[0]!.uid === validator.uid;
  if (!self && !validator.validatorPermit) {
    throw new ChainError(
      'input',
      `validator uid ${validator.uid} has no validator permit on subnet ${metagraph.netuid}; permits are given each ` +
        'epoch to the top stake holders: add stake, then publish again',
    );
  }
  const problem = weightRuleProblem(weights, validator.uid, {
    minAllowedWeights: params.minAllowedWeights,
    maxWeightsLimit: params.maxWeightsLimit,
    subnetN: metagraph.neurons.length,
  });
  if (problem)
    throw new ChainError(
      'input',
      `the weight vector breaks subnet ${metagraph.netuid}'s rules: ${problem}`,
    );
}

function baseDocument(
  netuid: number,
  validator: Neuron,
  options: PublishOptions,
  metagraph: Metagraph,
  plan: ReturnType<typeof planWeights>,
): WeightsDocument {
  return {
    $schema: schemaId('weights'),
    version: 1,
    netuid,
    validator: validator.hotkey,
    validatorUid: validator.uid,
    status: 'skipped',
    versionKey: options.versionKey,
    source: options.source ? { path: options.source.path, sha256: options.source.sha256 } : null,
    mappedAt: { number: metagraph.block.number, hash: metagraph.block.hash },
    weights: plan.weights.map((w) => ({ ...w })),
    dropped: plan.dropped.map((d) => ({ ...d })),
    block: null,
    extrinsicHash: null,
    readBack: null,
    skipped: null,
    commitReveal: null,
    call: null,
    producer: { podiumVersion: PODIUM_VERSION, podiumCommit: podiumCommit() },
  };
}
