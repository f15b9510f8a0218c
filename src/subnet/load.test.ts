/**
 * Subnet files against the real contests of this repository: the shipped subnets/2.json loads
 * with equal shares, and every bad file is refused naming the file, the field and the value.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaId } from '../schemas/builders.js';
import { REPO_ROOT } from '../version.js';
import { loadSubnets, subnetOf } from './load.js';

const CONTESTS = join(REPO_ROOT, 'contests');
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function subnets(files: Record<string, unknown>): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'podium-subnets-'));
  for (const [name, body] of Object.entries(files)) {
    const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
    await writeFile(join(dir, name), text);
  }
  return dir;
}

function subnet(netuid: number, contests: unknown[]) {
  return {
    $schema: schemaId('subnet'),
    version: 1,
    netuid,
    fallbackUid: 0,
    overlap: 'sum',
    contests,
  };
}

describe('subnet files', () => {
  it('loads the shipped subnets/2.json: the demo contests share netuid 2 equally', async () => {
    const loaded = await loadSubnets(join(REPO_ROOT, 'subnets'), CONTESTS);
    const two = subnetOf(loaded, 'mnist-nas-demo')!;
    expect(two.subnet.netuid).toBe(2);
    const ids = [
      'sr-x2-demo',
      'mnist-nas-demo',
      'sr-truth-demo',
      'mnist-throughput-demo',
      'digits-pipeline-demo',
    ];
    expect(two.members).toEqual(ids.map((id) => ({ id, share: 0.2, maxRoundAgeHours: 48 })));
    expect(subnetOf(loaded, 'no-such-contest')).toBeNull();
  });

  it('refuses shares that do not sum to 1', async () => {
    const d = await subnets({
      '2.json': subnet(2, [
        { id: 'sr-x2-demo', share: 0.5 },
        { id: 'mnist-nas-demo', share: 0.4 },
      ]),
    });
    await expect(loadSubnets(d, CONTESTS)).rejects.toThrow(
      `${join(d, '2.json')}: /contests shares must sum to 1, they sum to 0.9 (0.5 + 0.4) [shares-sum]`,
    );
  });

  it('refuses a share given to some contests only', async () => {
    const d = await subnets({
      '2.json': subnet(2, [{ id: 'sr-x2-demo', share: 1 }, { id: 'mnist-nas-demo' }]),
    });
    await expect(loadSubnets(d, CONTESTS)).rejects.toThrow(
      `${join(d, '2.json')}: /contests/1/share is missing: give every contest a share`,
    );
  });

  it('refuses a contest listed in two subnet files, naming both', async () => {
    const d = await subnets({
      '2.json': subnet(2, [{ id: 'sr-x2-demo' }]),
      '10.json': subnet(10, [{ id: 'sr-x2-demo' }]),
    });
    await expect(loadSubnets(d, CONTESTS)).rejects.toThrow(
      `${join(d, '10.json')}: /contests/0/id is already listed in ${join(d, '2.json')}: a contest ` +
        'belongs to one subnet file (got "sr-x2-demo") [contest-in-two-subnets]',
    );
  });

  it("refuses a contest whose own chain.netuid disagrees with the file's", async () => {
    const d = await subnets({ '3.json': subnet(3, [{ id: 'mnist-nas-demo' }]) });
    await expect(loadSubnets(d, CONTESTS)).rejects.toThrow(
      `${join(d, '3.json')}: /contests/0/id names a contest whose ${join(CONTESTS, 'mnist-nas-demo', 'contest.json')} ` +
        `has chain.netuid 2, not this file's netuid 3 (got "mnist-nas-demo") [contest-netuid]`,
    );
  });

  it('refuses a file not named after its netuid, an unknown contest, and a duplicate key', async () => {
    let d = await subnets({ '5.json': subnet(2, [{ id: 'nope' }]) });
    const err = await loadSubnets(d, CONTESTS).catch((e: Error) => e);
    expect(String(err)).toContain(
      `${join(d, '5.json')}: /netuid must equal the file name's netuid`,
    );
    expect(String(err)).toContain(
      `/contests/0/id names a contest whose ${join(CONTESTS, 'nope', 'contest.json')} cannot be read`,
    );
    await rm(d, { recursive: true });
    const text = JSON.stringify(subnet(2, [{ id: 'sr-x2-demo' }])).replace(
      '"fallbackUid":0',
      '"fallbackUid":0,"fallbackUid":7',
    );
    d = await subnets({ '2.json': text });
    await expect(loadSubnets(d, CONTESTS)).rejects.toThrow(
      /2\.json: \/fallbackUid is a duplicate key "fallbackUid"/,
    );
  });

  it('validates against the schema: an unknown overlap rule is named with its value', async () => {
    const d = await subnets({ '2.json': { ...subnet(2, [{ id: 'sr-x2-demo' }]), overlap: 'max' } });
    await expect(loadSubnets(d, CONTESTS)).rejects.toThrow(/2\.json: \/overlap .*"max"/);
  });
});
