/**
 * The near-copy rule on real models (npm run models) and real inspection: a copy of an
 * earlier-committed submission with one weight nudged by one ULP — also after moving its weights
 * into Constant nodes — is rejected as a near copy citing the original; the independent models
 * (esrgan medium vs slim, fp16 vs baseline, zeroed, custom-op, slower variants, and models whose
 * every tensor is a shuffle of another's — same shapes, same norms) are never flagged.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TensorSketch } from '../bench/fingerprint.js';
import { inspectModel } from '../bench/inspect.js';
import { tempContest } from '../bench/testing/contest.js';
import { nudge, restore, shuffled } from '../bench/testing/rewrite.js';
import { modelPath } from '../models/build.js';
import type { ModelName } from '../models/variants.js';
import {
  BASELINE_TOLERANCE,
  NEAR_SHARE,
  NEAR_TOLERANCE,
  nearShare,
  ownSketches,
  type Sketch,
} from './near-copy.js';
import { scoreRound } from './score.js';
import { syntheticHotkey, testBench, testContest, testRound, timings } from './testing.js';

const REAL: readonly ModelName[] = [
  'esrgan-slim-x2',
  'esrgan-medium-x2-fp16',
  'esrgan-medium-x2-zeroed',
  'custom-op',
  'esrgan-medium-x2-slightly-slow',
  'esrgan-medium-x2-slow',
  'esrgan-medium-x2-very-slow',
];
const sketches = new Map<string, TensorSketch[]>();

beforeAll(async () => {
  const { contest } = await tempContest();
  const dir = await mkdtemp(join(tmpdir(), 'podium-near-'));
  const of = async (name: string, bytes: Uint8Array, folder = dir) => {
    const file = join(folder, `${name}.onnx`);
    await writeFile(file, bytes);
    const { report } = await inspectModel(file, contest);
    expect(report?.tensorSketches?.length).toBeGreaterThan(0);
    sketches.set(name, report?.tensorSketches ?? []);
  };
  const slim = await readFile(modelPath('esrgan-slim-x2'));
  const medium = await readFile(modelPath('esrgan-medium-x2'));
  await of('baseline', medium);
  for (const name of REAL) await of(name, await readFile(modelPath(name)));
  await of('esrgan-medium-x2-noised', await readFile(modelPath('esrgan-medium-x2-noised')));
  await of('slim-nudged', nudge(slim, 'UPN1/kernel', 1234));
  const moved = await mkdtemp(join(tmpdir(), 'podium-near-'));
  const constants = await restore(nudge(slim, 'GFF_2/kernel', 99), () => 'constant', moved);
  await of('slim-in-constants-nudged', constants, moved);
  await of('medium-shuffled', shuffled(medium, 1));
  await of('slim-shuffled', shuffled(slim, 2));
}, 60_000);

const get = (name: string): TensorSketch[] => sketches.get(name) ?? [];
const own = (name: string) => ownSketches(get(name), get('baseline'));
const INDEPENDENT = [...REAL, 'medium-shuffled', 'slim-shuffled'];

function score(names: readonly string[]) {
  const subs = names.map((name, i) => ({ hotkey: syntheticHotkey(i), uid: i + 1, block: i + 1 }));
  const base = timings(10, 24, 0.04);
  return scoreRound({
    contest: testContest(),
    round: testRound(subs),
    bench: [
      testBench({ ms: base, sketches: get('baseline') }),
      ...names.map((name, i) =>
        testBench({ hotkey: syntheticHotkey(i), uid: i + 1, ms: base, sketches: get(name) }),
      ),
    ],
    history: [],
  });
}

describe('near copies of an earlier submission', () => {
  it('rejects a copy of an earlier submission with one weight nudged by one ULP, citing it', () => {
    const doc = score(['esrgan-slim-x2', 'slim-nudged', 'slim-in-constants-nudged']);
    const [original, nudged, moved] = doc.submissions;
    expect(original?.reasons).toEqual([]);
    for (const copy of [nudged, moved]) {
      expect(copy?.copyOf).toEqual({
        hotkey: syntheticHotkey(0),
        uid: 1,
        commitmentBlock: 1,
        via: 'near-weights',
      });
      expect(copy?.reasons).toEqual([
        {
          code: 'near-copy',
          message: `100 % of its own weights are within 0.001 of those of ${syntheticHotkey(0)} (uid 1), committed earlier at block 1`,
        },
      ]);
    }
  });

  it('flags whichever of the two was committed later', () => {
    const doc = score(['slim-nudged', 'esrgan-slim-x2']);
    expect(doc.submissions[0]?.reasons).toEqual([]);
    expect(doc.submissions[1]?.reasons.map((r) => r.code)).toEqual(['near-copy']);
  });
});

describe('independent models are never near copies', () => {
  it('finds no tensor of one independent model near another, in either order', () => {
    for (const later of INDEPENDENT) {
      for (const earlier of INDEPENDENT) {
        if (later === earlier) continue;
        const share = nearShare(own(later), get(earlier));
        expect({ later, earlier, share: share ?? 0 }).toEqual({ later, earlier, share: 0 });
      }
    }
  });

  it('counts the fp16 conversion and the baseline-weight variants as the baseline, and never sketches identity kernels', () => {
    for (const name of ['esrgan-medium-x2-fp16', 'custom-op', 'esrgan-medium-x2-slow']) {
      expect(own(name)).toEqual([]);
    }
    expect(own('esrgan-slim-x2')).toHaveLength(get('esrgan-slim-x2').length);
    expect(own('medium-shuffled').length).toBeGreaterThan(20);
  });

  it('scores a round of every independent model without a single copy', () => {
    const doc = score(INDEPENDENT);
    for (const s of doc.submissions) {
      expect(s.copyOf).toBeNull();
      expect(s.reasons).toEqual([]);
    }
  });

  it('keeps its margins: rounding within the baseline tolerance, chance agreement far beyond it', () => {
    const gap = (a: Sketch, b: Sketch) =>
      Math.max(...a.projections.map((p, k) => Math.abs(p - b.projections[k]!)));
    const closest = (s: Sketch, pool: readonly Sketch[]) =>
      Math.min(...pool.filter((p) => p.elements === s.elements).map((p) => gap(s, p)));
    const fp16 = Math.max(...get('esrgan-medium-x2-fp16').map((s) => closest(s, get('baseline'))));
    const nudged = Math.max(...get('slim-nudged').map((s) => closest(s, get('esrgan-slim-x2'))));
    const chance = Math.min(...get('medium-shuffled').map((s) => closest(s, get('baseline'))));
    expect(fp16).toBeLessThan(BASELINE_TOLERANCE);
    expect(nudged).toBeLessThan(NEAR_TOLERANCE / 100);
    expect(chance).toBeGreaterThan(10 * BASELINE_TOLERANCE);
    expect(NEAR_SHARE).toBe(0.5);
  });
});

describe('the noised copy the earlier-block margin exists for', () => {
  it('moves every fingerprint of medium past the near-copy tolerance, so only the margin can stop it', () => {
    // sr-truth-demo's noised miner (1 % of each tensor's σ) against medium, committed earlier
    // there; here medium's sketches are the 'baseline' ones.
    const gap = (a: Sketch, b: Sketch) =>
      Math.max(...a.projections.map((p, k) => Math.abs(p - b.projections[k]!)));
    const noised = get('esrgan-medium-x2-noised');
    expect(noised.length).toBe(get('baseline').length);
    const closest = Math.min(
      ...noised.map((s) =>
        Math.min(
          ...get('baseline')
            .filter((b) => b.elements === s.elements)
            .map((b) => gap(s, b)),
        ),
      ),
    );
    expect(closest).toBeGreaterThan(NEAR_TOLERANCE);
    expect(nearShare(noised, get('baseline'))).toBe(0);
  });
});
