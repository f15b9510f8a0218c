/**
 * A ready subnet on the local chain: registered the real way (sudo lifts the network rate limit,
 * //Alice registers the network with the validator hotkey, then burned-registers every miner
 * hotkey and stakes on the validator in one batch), with shortcuts through `dev_setStorage`,
 * documented in docs/adr/0021: hotkeys are funded, the subnet's token is enabled (what
 * `start_call` does after DurationOfStartCall blocks) so staking works at once, and the
 * validator gets its permit without waiting for an epoch; its stake keeps the permit when
 * epochs recompute permits.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { ChainError } from './errors.js';
import { DEV_PATHS, devKeypair, devSetStorage } from './dev.js';
import { requireCall } from './runtime.js';
import { findEvent, signAndWait, type Inclusion } from './submit.js';

/** Options of setupSubnet. */
export interface SubnetOptions {
  /** Number of miner hotkeys to register (default 3). */
  readonly miners?: number;
  /** WeightsSetRateLimit in blocks (default 3; the runtime's default of 100 makes tests wait). */
  readonly weightsSetRateLimit?: number;
  /** Turn commit-reveal of weights on for the subnet (default false, spec 293's default). */
  readonly commitReveal?: boolean;
  /** Tempo in blocks (default: the runtime's); tests lower it to reach reveals in few blocks. */
  readonly tempo?: number;
  /** Free balance given to each hotkey, in rao (default 1 000 TAO). */
  readonly fundRao?: bigint;
  /** Stake //Alice adds to the validator hotkey, in rao (default 100 TAO), so it keeps its permit at each epoch. */
  readonly validatorStakeRao?: bigint;
}

/** One registered development account. */
export interface DevNeuron {
  readonly uid: number;
  readonly hotkey: string;
  /** Derivation path of its key (a development secret: never use on a real chain). */
  readonly path: string;
}

/** The subnet made by setupSubnet. */
export interface LocalSubnet {
  readonly netuid: number;
  readonly ownerColdkey: string;
  readonly validator: DevNeuron;
  readonly miners: readonly DevNeuron[];
  /** Milliseconds per step. */
  readonly timings: Readonly<Record<'registerNetwork' | 'registerMiners' | 'devStorage', number>>;
}

/**
 * Creates a subnet with a validator (uid 0, with permit) and `miners` miner hotkeys, all
 * funded. Throws ChainError when a step is refused or the runtime's calls have unknown shapes.
 */
export async function setupSubnet(
  api: ApiPromise,
  options: SubnetOptions = {},
): Promise<LocalSubnet> {
  const minerCount = options.miners ?? 3;
  const alice = devKeypair(DEV_PATHS.sudo);
  const validator = devKeypair(DEV_PATHS.validator);
  const miners = Array.from({ length: minerCount }, (_, i) => devKeypair(DEV_PATHS.miner(i)));
  let t = Date.now();
  const netuid = await registerNetwork(api, alice, validator.address);
  const registerNetworkMs = Date.now() - t;
  t = Date.now();
  await devStorage(api, netuid, [validator, ...miners], options.fundRao ?? 10n ** 12n);
  const devStorageMs = Date.now() - t;
  t = Date.now();
  const admin = [
    sudo(api, 'sudoSetMaxRegistrationsPerBlock', [netuid, minerCount + 1]),
    sudo(api, 'sudoSetTargetRegistrationsPerInterval', [netuid, minerCount + 1]),
    sudo(api, 'sudoSetWeightsSetRateLimit', [netuid, options.weightsSetRateLimit ?? 3]),
  ];
  if (options.commitReveal !== undefined) {
    admin.push(sudo(api, 'sudoSetCommitRevealWeightsEnabled', [netuid, options.commitReveal]));
  }
  if (options.tempo !== undefined) admin.push(sudo(api, 'sudoSetTempo', [netuid, options.tempo]));
  const burned = requireCall(api, 'subtensorModule', 'burnedRegister', [['netuid', 'hotkey']]).fn;
  const stake = requireCall(api, 'subtensorModule', 'addStake', [
    ['hotkey', 'netuid', 'amountStaked'],
  ]).fn;
  const calls = [
    ...admin,
    ...miners.map((m) => burned(netuid, m.address)),
    stake(validator.address, netuid, options.validatorStakeRao ?? 10n ** 11n),
  ];
  const inclusion = await batch(api, alice, calls, `register ${minerCount} miners on ${netuid}`);
  assertSudoOk(inclusion, 'subnet parameters');
  const registerMinersMs = Date.now() - t;
  return {
    netuid,
    ownerColdkey: alice.address,
    validator: { uid: 0, hotkey: validator.address, path: DEV_PATHS.validator },
    miners: miners.map((m, i) => ({ uid: i + 1, hotkey: m.address, path: DEV_PATHS.miner(i) })),
    timings: {
      registerNetwork: registerNetworkMs,
      devStorage: devStorageMs,
      registerMiners: registerMinersMs,
    },
  };
}

async function registerNetwork(
  api: ApiPromise,
  owner: KeyringPair,
  hotkey: string,
): Promise<number> {
  const { fn, shape } = requireCall(api, 'subtensorModule', 'registerNetwork', [
    ['hotkey'],
    ['hotkey', 'mechid'],
  ]);
  const register = shape === 0 ? fn(hotkey) : fn(hotkey, 1);
  const inclusion = await batch(
    api,
    owner,
    [sudo(api, 'sudoSetNetworkRateLimit', [0]), register],
    'register a subnet',
  );
  assertSudoOk(inclusion, 'NetworkRateLimit');
  const added = findEvent(inclusion.events, 'subtensorModule', 'NetworkAdded');
  if (!added)
    throw new ChainError('dispatch', 'register a subnet: no NetworkAdded event in the block');
  return Number(added.event.data[0]!.toString());
}

function sudo(api: ApiPromise, method: string, args: unknown[]): SubmittableExtrinsic<'promise'> {
  const call = api.tx.adminUtils?.[method];
  if (!call)
    throw new ChainError(
      'shape',
      `runtime has no adminUtils.${method}, needed for the local subnet`,
    );
  return api.tx.sudo!.sudo!(call(...args));
}

function batch(
  api: ApiPromise,
  signer: KeyringPair,
  calls: SubmittableExtrinsic<'promise'>[],
  what: string,
): Promise<Inclusion> {
  const batchAll = requireCall(api, 'utility', 'batchAll', [['calls']]).fn;
  return signAndWait(api, signer, batchAll(calls), { what, waitFor: 'finalized' });
}

function assertSudoOk(inclusion: Inclusion, what: string): void {
  for (const { event } of inclusion.events) {
    if (event.section !== 'sudo' || event.method !== 'Sudid') continue;
    const result = event.data[0] as unknown as { isErr: boolean; toString(): string };
    if (result.isErr)
      throw new ChainError('dispatch', `sudo call for ${what} failed: ${result.toString()}`);
  }
}

async function devStorage(
  api: ApiPromise,
  netuid: number,
  keys: KeyringPair[],
  free: bigint,
): Promise<void> {
  // The validator is the only neuron yet: its permit is [true]; miners registered later
  // append `false`. SubtokenEnabled is what start_call sets; it allows staking at once.
  await devSetStorage(api, {
    System: { Account: keys.map((k) => [[k.address], { providers: 1, data: { free } }]) },
    SubtensorModule: {
      ValidatorPermit: [[[netuid], [true]]],
      SubtokenEnabled: [[[netuid], true]],
    },
  });
}
