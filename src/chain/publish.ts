/**
 * publish-weights: maps the round's hotkey weights to uids at the current block, checks every
 * rule the runtime would check (version key, permit, rule lengths, rate limit), then sends one
 * `set_weights` — or, when the subnet requires commit-reveal, one `commit_weights` whose reveal
 * is a second, separate step (revealWeights). Each step is a single extrinsic, so weights are
 * never half-published; a skipped step is a typed result, not an exception.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Codec } from '@polkadot/types/types';
import { randomBytes } from 'node:crypto';
import { PODIUM_VERSION, podiumCommit } from '../version.js';
import { withRetries } from './connect.js';
import { ChainError } from './errors.js';
import { metagraphAt, uidOf, type Metagraph, type Neuron } from './metagraph.js';
import { hasCall, requireCall, requireStorage, runtimeName } from './runtime.js';
import type { WeightsDocument } from './schema.js';
import { schemaId } from '../schemas/builders.js';
import { signAndWait } from './submit.js';
import {
  planWeights,
  rateLimit,
  revealWindow,
  weightRuleProblem,
  weightsCommitHash,
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
}

/** Subnet parameters publish-weights obeys, read at the mapping block. */
interface SubnetParams {
  readonly versionKey: number;
  readonly rateLimit: number;
  readonly commitReveal: boolean;
  readonly tempo: number;
  readonly revealPeriodEpochs: number;
  readonly minAllowedWeights: number;
  readonly maxWeightsLimit: number;
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
  const built = buildCall(api, keypair.address, netuid, plan.weights, params, options.versionKey);
  const call = { text: built.text, callData: built.tx.method.toHex() };
  if (options.dryRun) return { ...base, status: 'dry-run', call };
  const inclusion = await signAndWait(api, keypair, built.tx, {
    what: `${built.text} from ${keypair.address}`,
    waitFor: options.waitFor ?? 'inBlock',
    ...(options.onSubmitted ? { onSubmitted: options.onSubmitted } : {}),
  });
  if (built.commit) {
    const window = revealWindow(
      inclusion.blockNumber,
      netuid,
      params.tempo,
      params.revealPeriodEpochs,
    );
    log(
      `committed weights at #${inclusion.blockNumber}; reveal between #${window.first} and #${window.last}`,
    );
    const commit = {
      number: inclusion.blockNumber,
      hash: inclusion.blockHash,
      extrinsicHash: inclusion.extrinsicHash,
    };
    return {
      ...base,
      status: 'committed',
      call,
      commitReveal: {
        commitHash: built.commit.hash,
        salt: built.commit.salt,
        commit,
        revealWindow: window,
      },
    };
  }
  const readBack = await readWeightsAt(api, netuid, validator.uid, inclusion.blockHash);
  const block = { number: inclusion.blockNumber, hash: inclusion.blockHash };
  return { ...base, status: 'set', call, block, extrinsicHash: inclusion.extrinsicHash, readBack };
}

async function readContext(
  api: ApiPromise,
  netuid: number,
): Promise<{ metagraph: Metagraph; params: SubnetParams }> {
  const head = (await api.rpc.chain.getHeader()).hash.toHex();
  const metagraph = await metagraphAt(api, netuid, head);
  const params = await withRetries(api, () => readParams(api, netuid, head), {
    what: `read the weight parameters of subnet ${netuid}`,
  });
  return { metagraph, params };
}

async function readParams(
  api: ApiPromise,
  netuid: number,
  blockHash: `0x${string}`,
): Promise<SubnetParams> {
  const at = await api.at(blockHash);
  const read = (item: string) => requireStorage(at, 'subtensorModule', item)(netuid);
  const [versionKey, limit, commitReveal, tempo, reveal, minAllowed, maxLimit] = await Promise.all(
    [
      'weightsVersionKey',
      'weightsSetRateLimit',
      'commitRevealWeightsEnabled',
      'tempo',
      'revealPeriodEpochs',
      'minAllowedWeights',
      'maxWeightsLimit',
    ].map(read),
  );
  const num = (c: Codec | undefined) => Number(c?.toString() ?? '0');
  return {
    versionKey: num(versionKey),
    rateLimit: num(limit),
    commitReveal: commitReveal?.toJSON() === true,
    tempo: num(tempo),
    revealPeriodEpochs: num(reveal),
    minAllowedWeights: num(minAllowed),
    maxWeightsLimit: num(maxLimit),
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

interface BuiltCall {
  readonly tx: SubmittableExtrinsic<'promise'>;
  readonly text: string;
  readonly commit: { readonly hash: `0x${string}`; readonly salt: number[] } | null;
}

function buildCall(
  api: ApiPromise,
  hotkey: string,
  netuid: number,
  weights: readonly PlannedWeight[],
  params: SubnetParams,
  versionKey: number,
): BuiltCall {
  const uids = weights.map((w) => w.uid);
  const values = weights.map((w) => w.value);
  const vector = `[${uids.join(',')}], [${values.join(',')}]`;
  const mode = commitRevealMode(
    params.commitReveal,
    hasCall(api, 'subtensorModule', 'commitWeights'),
    hasCall(api, 'subtensorModule', 'commitCrv3Weights'),
  );
  if (mode === 'none') {
    const { fn } = requireCall(api, 'subtensorModule', 'setWeights', [
      ['netuid', 'dests', 'weights', 'versionKey'],
    ]);
    return {
      tx: fn(netuid, uids, values, versionKey),
      text: `subtensorModule.setWeights(${netuid}, ${vector}, ${versionKey})`,
      commit: null,
    };
  }
  if (mode === 'unsupported') {
    throw new ChainError(
      'shape',
      `subnet ${netuid} requires commit-reveal but runtime ${runtimeName(api)} offers neither commit_weights ` +
        'nor commit_crv3_weights; nothing was sent — update podium for this runtime',
    );
  }
  if (mode === 'crv3-only') {
    throw new ChainError(
      'shape',
      `subnet ${netuid} requires commit-reveal and this runtime only offers commit_crv3_weights (drand timelock ` +
        'encryption); podium cannot produce those commits offline (no drand beacon), so nothing was sent — ' +
        'ask the subnet owner, or run a podium that supports CRv3',
    );
  }
  const salt = randomSalt();
  const hash = weightsCommitHash({ hotkey, netuid, uids, values, salt, versionKey });
  const { fn } = requireCall(api, 'subtensorModule', 'commitWeights', [['netuid', 'commitHash']]);
  return {
    tx: fn(netuid, hash),
    text: `subtensorModule.commitWeights(${netuid}, ${hash})`,
    commit: { hash, salt },
  };
}

/** Which weight-setting path a subnet needs, given what the runtime offers. Pure. */
export function commitRevealMode(
  enabled: boolean,
  hashCommit: boolean,
  crv3: boolean,
): 'none' | 'hash' | 'crv3-only' | 'unsupported' {
  if (!enabled) return 'none';
  if (hashCommit) return 'hash';
  return crv3 ? 'crv3-only' : 'unsupported';
}

function randomSalt(): number[] {
  const bytes = randomBytes(16);
  return Array.from({ length: 8 }, (_, i) => bytes.readUInt16LE(i * 2));
}

/** Reads `Weights(netuid, uid)` at `blockHash`, as [{ uid, value }]. */
export async function readWeightsAt(
  api: ApiPromise,
  netuid: number,
  uid: number,
  blockHash: `0x${string}`,
): Promise<{ uid: number; value: number }[]> {
  return withRetries(
    api,
    async () => {
      const at = await api.at(blockHash);
      const row = (
        await requireStorage(at, 'subtensorModule', 'weights')(netuid, uid)
      ).toJSON() as [number, number][];
      return row.map(([u, value]) => ({ uid: u, value }));
    },
    { what: `read back the weights of uid ${uid} on subnet ${netuid}` },
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
