/**
 * publishSubnet on the local chain (one chain for the file) with real demo results from
 * fixtures/agreement/a: a round publish of one contest while the other has no round yet sends
 * that contest's share to the fallback uid and says so; then the subnet publish signs the
 * other contest's new round and the chain holds the documented combination.
 */
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devNewBlock } from '../chain/dev.js';
import { readWeightsAt } from '../chain/subnet-params.js';
import { startChainFixture, type ChainFixture } from '../chain/testing.js';
import { RoundSchema } from '../documents/round.js';
import { ScoreSchema } from '../documents/score.js';
import { WeightsSchema } from '../documents/weights.js';
import { readDocument } from '../json/file.js';
import { acceptIndex, readIndex, readIndexFile } from '../results/index.js';
import { schemaId } from '../schemas/builders.js';
import { loadSubnets } from '../subnet/load.js';
import { REPO_ROOT } from '../version.js';
import { publishSubnet } from './subnet-publish.js';

const FIX = join(REPO_ROOT, 'fixtures', 'agreement');
const [SR, MNIST] = ['sr-x2-demo', 'mnist-nas-demo'];
let fx: ChainFixture | undefined;
let root: string;
let round: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-subnet-publish-'));
  round = (await readdir(join(FIX, 'a', SR)))[0]!;
  const cutoff = await readDocument(join(FIX, 'a', SR, round, 'round.json'), RoundSchema);
  // The chain starts an hour after the fixture round's cutoff: the round is fresh whenever the test runs.
  fx = await startChainFixture({
    chain: { genesisTimestampMs: cutoff.cutoff.blockTimestampMs + 3_600_000 },
    subnet: { miners: 12, weightsSetRateLimit: 2 },
  });
  await cp(join(FIX, 'contests'), join(root, 'contests'), { recursive: true });
  for (const id of [SR, MNIST])
    await mkdir(join(root, 'contests', id, 'inputs'), { recursive: true });
  await mkdir(join(root, 'subnets'));
  const subnet = {
    $schema: schemaId('subnet'),
    version: 1,
    netuid: fx.subnet.netuid,
    fallbackUid: 0,
    overlap: 'sum',
    contests: [
      { id: SR, share: 0.75 },
      { id: MNIST, share: 0.25 },
    ],
  };
  await writeFile(join(root, 'subnets', `${fx.subnet.netuid}.json`), JSON.stringify(subnet));
  await cp(join(FIX, 'a', SR, round), join(root, 'results', SR, round), { recursive: true });
}, 180_000);

afterAll(async () => {
  await fx?.close();
  await rm(root, { recursive: true, force: true });
});

async function setup() {
  const [subnet] = await loadSubnets(join(root, 'subnets'), join(root, 'contests'));
  const log: string[] = [];
  const input = {
    api: fx!.api,
    key: fx!.validatorKey,
    subnet: subnet!,
    resultsRoot: join(root, 'results'),
    log: (l: string) => void log.push(l),
  };
  return { input, log };
}

async function winnerUid(contest: string): Promise<number> {
  const score = await readDocument(
    join(root, 'results', contest, round, 'score.json'),
    ScoreSchema,
  );
  return score.submissions.find((s) => s.earns)!.uid;
}

describe('publishing a netuid shared by two contests', () => {
  it('a round publish while the other contest has no round: its share goes to the fallback uid, and the log says so', async () => {
    const { input, log } = await setup();
    const out = join(root, 'record-1');
    const done = await publishSubnet(input, { kind: 'round', contest: SR, round }, out);
    expect(done.files).toEqual(['index.json', `${round}/weights.json`]);
    expect(done.weights.status).toBe('set');
    expect(log).toContain(`${MNIST}: no round yet: its share 0.25 goes to the fallback uid 0`);
    // 0.75 to sr's single earner, 0.25 to uid 0: 65535 and ⌊0.25 / 0.75 · 65535 + 0.5⌋ = 21845.
    const uid = await winnerUid(SR);
    const chain = await readWeightsAt(
      fx!.api,
      fx!.subnet.netuid,
      fx!.subnet.validator.uid,
      done.weights.block!.hash as `0x${string}`,
    );
    expect(chain).toEqual([
      { uid: 0, value: 21845 },
      { uid, value: 65535 },
    ]);
    const written = await readDocument(
      join(root, 'results', SR, round, 'weights.json'),
      WeightsSchema,
    );
    expect(written.subnet!.contests.map((c) => [c.id, c.status, c.toFallback])).toEqual([
      [SR, 'scored', 0],
      [MNIST, 'no-round', 0.25],
    ]);
    // The record job's part: accept the signed index from the record artifact.
    const results = join(root, 'results', SR);
    expect(await acceptIndex(results, await readIndexFile(join(out, 'index.json')))).toBe(
      'appended',
    );
    expect((await readIndex(results)).entries.map((e) => e.round)).toEqual([round]);
  }, 120_000);

  it('the subnet publish signs the new round only, and the chain holds the combination', async () => {
    await cp(join(FIX, 'a', MNIST, round), join(root, 'results', MNIST, round), {
      recursive: true,
    });
    await devNewBlock(fx!.api, 3);
    const { input, log } = await setup();
    const done = await publishSubnet(input, { kind: 'pending' }, join(root, 'record-2'));
    expect(done.signed.map((s) => s.contest)).toEqual([MNIST]);
    expect(done.files).toEqual([`${MNIST}/index.json`, `${MNIST}/${round}/weights.json`]);
    expect(log.filter((l) => l.includes('fallback'))).toEqual([]);
    const [sr, mnist] = [await winnerUid(SR), await winnerUid(MNIST)];
    const chain = await readWeightsAt(
      fx!.api,
      fx!.subnet.netuid,
      fx!.subnet.validator.uid,
      done.weights.block!.hash as `0x${string}`,
    );
    expect(chain).toEqual([
      { uid: sr, value: 65535 },
      { uid: mnist, value: 21845 },
    ]);
  }, 120_000);
});
