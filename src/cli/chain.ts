/**
 * Chain commands: `podium publish-weights` (set or commit-reveal the round's weights) and the
 * shared resolution of where a contest's chain is (netuid and endpoint name from the contest,
 * URL from the validator's configuration). The hotkey secret comes only from
 * `PODIUM_HOTKEY_SEED` or `--keyfile`, never from argv, and is never printed.
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { connectChain, resolveEndpoint } from '../chain/connect.js';
import { ChainError } from '../chain/errors.js';
import { isLocalEndpoint, loadKeypair } from '../chain/keys.js';
import { metagraphAt } from '../chain/metagraph.js';
import { publishWeights } from '../chain/publish.js';
import { nextIndexedFile } from '../chain/indexed-file.js';
import { revealWeights } from '../chain/reveal.js';
import { WeightsSchema, type WeightsDocument } from '../documents/weights.js';
import { describeTimelock as timelockLine } from '../chain/timelock-commit.js';
import { parseCommitScheme } from '../chain/weights-call.js';
import { versionKeyOf } from '../chain/weights.js';
import { weightsFromScore } from '../round/weights.js';
import { parseJson, readDocument, writeDocument } from '../json/file.js';
import { schemaId } from '../schemas/builders.js';
import { PODIUM_VERSION } from '../version.js';
import { loadContestArg } from './contest-arg.js';
import { CliError, UsageError } from './errors.js';
import { ScoreSchema } from '../documents/score.js';

/** Where a command talks to: a subnet on an endpoint. */
export interface ChainTarget {
  readonly netuid: number;
  readonly endpoint: string;
}

/** Options naming a chain target: a contest, or an explicit netuid and endpoint. */
export interface TargetOptions {
  readonly contest?: string;
  readonly contests: string;
  readonly netuid?: string;
  readonly endpoint?: string;
}

/**
 * Resolves the subnet and endpoint URL: `--netuid`/`--endpoint` win, else the contest's `chain`
 * (contests/<id>/contest.json); the endpoint name resolves through the environment
 * (PODIUM_CHAIN_ENDPOINT, PODIUM_CHAIN_ENDPOINT_<NAME>). Throws UsageError or ChainError.
 */
export async function chainTarget(options: TargetOptions): Promise<ChainTarget> {
  let netuid = options.netuid === undefined ? undefined : Number(options.netuid);
  let endpoint = options.endpoint;
  if (netuid !== undefined && (!Number.isInteger(netuid) || netuid < 0 || netuid > 65535)) {
    throw new UsageError(`--netuid must be an integer 0…65535 (got "${options.netuid}")`);
  }
  if (netuid === undefined || endpoint === undefined) {
    if (!options.contest)
      throw new UsageError('name the contest (--contest <id>) or give --netuid and --endpoint');
    const { contest } = await loadContestArg(options.contest, options.contests);
    netuid ??= contest.chain.netuid;
    endpoint ??= contest.chain.endpoint;
  }
  try {
    return { netuid, endpoint: resolveEndpoint(endpoint) };
  } catch (err) {
    return toCli(err);
  }
}

/** Runs `body` with a connected api, always disconnecting; ChainErrors become CliErrors. */
export async function withChain<T>(
  endpoint: string,
  body: (api: ApiPromise) => Promise<T>,
): Promise<T> {
  let api: ApiPromise | undefined;
  try {
    api = await connectChain(endpoint);
    return await body(api);
  } catch (err) {
    if (err instanceof ChainError) throw new CliError(err.message);
    throw err;
  } finally {
    await api?.disconnect().catch(() => undefined);
  }
}

/** Registers `publish-weights` on the program. */
export function register(program: Command): void {
  program
    .command('publish-weights')
    .description(
      'set the validator weights from score.json (or a {hotkey: weight} file); commit-reveal when the subnet requires it',
    )
    .option('--weights <file>', 'score.json, or a JSON object of ss58 hotkey → weight')
    .option(
      '--reveal <file>',
      'reveal the hash commit recorded in this weights.json; writes weights-reveal-<n>.json beside it',
    )
    .option('--contest <id>', 'contest id (default: the contest named in score.json)')
    .option('--contests <dir>', 'contests folder', 'contests')
    .option('--netuid <n>', 'subnet (default: the contest chain.netuid)')
    .option(
      '--endpoint <name|url>',
      'endpoint name or ws URL (default: the contest chain.endpoint)',
    )
    .option(
      '--keyfile <file>',
      'file holding the validator hotkey secret (default: PODIUM_HOTKEY_SEED)',
    )
    .option(
      '--version-key <n>',
      `version_key (default ${versionKeyOf(PODIUM_VERSION)}, from podium ${PODIUM_VERSION})`,
    )
    .option(
      '--out <file>',
      'where to write weights.json (default: beside --weights; a dry run writes only to --out)',
    )
    .option(
      '--dry-run',
      'print the exact call the workflow would send, send nothing, write nothing unless --out',
      false,
    )
    .option(
      '--commit-scheme <scheme>',
      'with commit-reveal on: auto (timelock where the runtime offers it), timelock, or hash',
      'auto',
    )
    .action(async (opts: PublishCliOptions) => {
      const doc = opts.reveal ? await reveal(opts) : await publish(opts);
      for (const line of summary(doc)) console.log(line);
    });
}

interface PublishCliOptions extends TargetOptions {
  readonly weights?: string;
  readonly reveal?: string;
  readonly keyfile?: string;
  readonly versionKey?: string;
  readonly out?: string;
  readonly dryRun: boolean;
  readonly commitScheme: string;
}

async function publish(opts: PublishCliOptions): Promise<WeightsDocument> {
  if (!opts.weights)
    throw new UsageError('publish-weights needs --weights <file> (or --reveal <weights.json>)');
  const input = await readWeightsInput(opts.weights);
  const target = await chainTarget({ ...opts, contest: opts.contest ?? input.contestId });
  const versionKey =
    opts.versionKey === undefined ? versionKeyOf(PODIUM_VERSION) : Number(opts.versionKey);
  if (!Number.isSafeInteger(versionKey) || versionKey < 0)
    throw new UsageError('--version-key must be an integer ≥ 0');
  const keypair = await loadKeypair({
    keyfile: opts.keyfile,
    allowDev: isLocalEndpoint(target.endpoint),
    warn: (l) => console.error(l),
  }).catch(toCli);
  const doc = await withChain(target.endpoint, async (api) => {
    const weights = await input.weightsAt(api, target.netuid, (line) => console.error(line));
    return publishWeights(api, keypair, target.netuid, weights, {
      versionKey,
      dryRun: opts.dryRun,
      commitScheme: parseCommitScheme(opts.commitScheme),
      log: (line) => console.error(line),
      source: { path: opts.weights!, sha256: input.sha256 },
    });
  });
  // A dry run leaves the round folder alone (its weights.json is part of the signed log): it
  // writes only where --out asks.
  const out = opts.dryRun ? opts.out : (opts.out ?? join(dirname(opts.weights), 'weights.json'));
  if (out !== undefined) await writeDocument(out, WeightsSchema, doc);
  return doc;
}

async function reveal(opts: PublishCliOptions): Promise<WeightsDocument> {
  const file = opts.reveal!;
  const committed = (await readDocument(file, WeightsSchema)) as unknown as WeightsDocument;
  const target = await chainTarget({ ...opts, netuid: opts.netuid ?? String(committed.netuid) });
  const keypair = await loadKeypair({
    keyfile: opts.keyfile,
    allowDev: isLocalEndpoint(target.endpoint),
    warn: (l) => console.error(l),
  }).catch(toCli);
  const doc = await withChain(target.endpoint, (api) => revealWeights(api, keypair, committed));
  // the signed weights.json stays as it is; the reveal (with its salt) gets its own file
  await writeDocument(
    opts.out ?? (await nextIndexedFile(dirname(file), 'weights-reveal')),
    WeightsSchema,
    doc,
  );
  return doc;
}

interface WeightsInput {
  readonly sha256: string;
  readonly contestId?: string;
  weightsAt(
    api: ApiPromise,
    netuid: number,
    log: (line: string) => void,
  ): Promise<Readonly<Record<string, number>>>;
}

/**
 * Reads a weights input: a score document (mapped by weightsFromScore, src/round/weights.ts,
 * exactly as the publish-weights action maps it) or a plain JSON object of hotkey → weight.
 */
export async function readWeightsInput(file: string): Promise<WeightsInput> {
  const bytes = await readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const data = parseJson(file, bytes.toString('utf8'));
  if (isObject(data) && data.$schema === schemaId('score')) {
    const score = await readDocument(file, ScoreSchema);
    return {
      sha256,
      contestId: score.contest.id,
      async weightsAt(api, netuid, log) {
        const head = (await api.rpc.chain.getHeader()).hash.toHex();
        const decision = weightsFromScore(score, (await metagraphAt(api, netuid, head)).neurons);
        if (decision.note !== null) log(`${file}: ${decision.note}`);
        return decision.byHotkey;
      },
    };
  }
  if (!isObject(data) || !Object.values(data).every((v) => typeof v === 'number')) {
    throw new CliError(`${file}: expected a score.json or a JSON object of ss58 hotkey → number`);
  }
  const weights = data as Record<string, number>;
  return { sha256, weightsAt: async () => weights };
}

function summary(doc: WeightsDocument): string[] {
  const vector = doc.weights.map((w) => `${w.uid}:${w.value}`).join(' ');
  const lines = [
    `subnet ${doc.netuid}, validator uid ${doc.validatorUid}, version key ${doc.versionKey}: [${vector}]`,
  ];
  if (doc.path) lines.push(`path: ${doc.path}`);
  if (doc.call) lines.push(`call: ${doc.call.text}`, `call data: ${doc.call.callData}`);
  if (doc.timelock) lines.push(timelockLine(doc.timelock));
  if (doc.status === 'dry-run') lines.push('dry run: nothing was sent');
  if (doc.status === 'skipped')
    lines.push(`skipped (${doc.skipped!.reason}): ${doc.skipped!.message}`);
  if (doc.status === 'committed' && doc.commitReveal) {
    const cr = doc.commitReveal;
    lines.push(
      `committed at #${cr.commit.number} (${cr.commit.extrinsicHash}); reveal between #${cr.revealWindow.first} ` +
        `and #${cr.revealWindow.last} with: podium publish-weights --reveal <this weights.json>`,
    );
  }
  if (doc.block)
    lines.push(
      `${doc.status} at #${doc.block.number} (${doc.block.hash}), extrinsic ${doc.extrinsicHash}`,
    );
  if (doc.readBack)
    lines.push(`read back: [${doc.readBack.map((w) => `${w.uid}:${w.value}`).join(' ')}]`);
  return lines;
}

function toCli(err: unknown): never {
  if (err instanceof ChainError) throw new CliError(err.message);
  throw err;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
