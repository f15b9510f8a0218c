/**
 * `podium publish-weights --weights <score.json> --dry-run`, run as the installed command against
 * the local chain: it prints the call the workflow's publish-weights action would send for the
 * same score, and writes nothing into the round folder.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PATHS, devNewBlock } from '../chain/dev.js';
import { metagraphAt } from '../chain/metagraph.js';
import { publishWeights } from '../chain/publish.js';
import { startChainFixture, type ChainFixture } from '../chain/testing.js';
import { versionKeyOf } from '../chain/weights.js';
import { ScoreSchema, type ScoreDocument } from '../documents/score.js';
import { readDocument, writeDocument } from '../json/file.js';
import { weightsFromScore } from '../round/weights.js';
import { writeScore } from '../score/files.js';
import { writeTestRound } from '../score/testing.js';
import { PODIUM_VERSION } from '../version.js';

const run = promisify(execFile);
const PODIUM = resolve('bin/podium.js');
let fx: ChainFixture;
let root: string;

beforeAll(async () => {
  fx = await startChainFixture({ subnet: { miners: 2, weightsSetRateLimit: 0 } });
  root = await mkdtemp(join(tmpdir(), 'podium-publish-cli-'));
}, 300_000);
afterAll(async () => {
  await fx?.close();
  await rm(root, { recursive: true, force: true });
});

/** A committed round folder whose score.json says nobody earned, with `fallbackUid` as fallback. */
async function nobodyEarned(name: string, fallbackUid: number): Promise<string> {
  const dir = await writeTestRound(join(root, name));
  await writeScore(dir, { contestsRoot: join(root, name, 'contests') });
  const score = structuredClone(
    await readDocument(join(dir, 'score.json'), ScoreSchema),
  ) as ScoreDocument;
  const u16 = Object.fromEntries(Object.keys(score.weights.u16).map((hotkey) => [hotkey, 0]));
  score.weights = {
    ...score.weights,
    u16,
    fallback: { uid: fallbackUid, u16: 65535, reason: 'no submission earned' },
  };
  await writeDocument(join(dir, 'score.json'), ScoreSchema, score);
  await writeFile(join(dir, 'weights.json'), '{"committed": "by the record job"}\n');
  return dir;
}

/** Every file under `dir`, by relative path, as text. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(path.slice(dir.length), await readFile(path, 'utf8'));
  }
  return out;
}

async function dryRun(score: string) {
  const args = ['publish-weights', '--weights', score, '--netuid', String(fx.subnet.netuid)];
  const env = {
    ...process.env,
    PODIUM_HOTKEY_SEED: DEV_PATHS.validator,
    PODIUM_CHAIN_ENDPOINT_LOCAL: fx.chain.endpoint,
  };
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [PODIUM, ...args, '--endpoint', 'local', '--dry-run'],
      { cwd: root, env },
    );
    return { code: 0, text: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, text: e.stdout + e.stderr };
  }
}

describe('podium publish-weights --dry-run from a score.json', () => {
  it('prints the call the action would send (the fallback uid), and writes nothing in the round folder', async () => {
    const fallback = fx.subnet.miners[1]!.uid;
    const dir = await nobodyEarned('registered', fallback);
    const before = await snapshot(dir);
    await devNewBlock(fx.api, 1);
    const out = await dryRun(join(dir, 'score.json'));
    expect(out.code, out.text).toBe(0);
    // What actions/publish-weights computes for the same score (src/round/publish.ts).
    const score = await readDocument(join(dir, 'score.json'), ScoreSchema);
    const head = (await fx.api.rpc.chain.getHeader()).hash.toHex();
    const decision = weightsFromScore(
      score,
      (await metagraphAt(fx.api, fx.subnet.netuid, head)).neurons,
    );
    const action = await publishWeights(
      fx.api,
      fx.validatorKey,
      fx.subnet.netuid,
      decision.byHotkey,
      {
        versionKey: versionKeyOf(PODIUM_VERSION),
        dryRun: true,
      },
    );
    expect(action.call?.text).toContain(`[${fallback}], [65535]`);
    expect(out.text).toContain(`call: ${action.call!.text}`);
    expect(out.text).toContain('dry run: nothing was sent');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('records "skipped" rather than failing when the fallback uid is not registered', async () => {
    const dir = await nobodyEarned('unregistered', 999);
    const before = await snapshot(dir);
    const out = await dryRun(join(dir, 'score.json'));
    expect(out.code, out.text).toBe(0);
    expect(out.text).toContain('the fallback uid 999 is not registered now: nothing to set');
    expect(out.text).toMatch(/skipped \(no-weights\)/);
    expect(out.text).not.toContain('call:');
    expect(await snapshot(dir)).toEqual(before);
  });
});
