/**
 * `podium compare` on real results: the pinned pair fixtures/agreement/{a,b} is one frozen demo
 * round benchmarked by two independent validators (`npm run bench:agreement -- --keep`,
 * fixtures/agreement/README.md). A deliberately diverging pair is made from it by slowing the
 * leader's timings on B and re-scoring B with `podium score`; and the bad inputs the issue lists.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readDocument, type Frozen } from '../json/file.js';
import { ScoreSchema, type ScoreDocument } from '../documents/score.js';

type Submission = Frozen<ScoreDocument['submissions'][number]>;
import { REPO_ROOT } from '../version.js';
import { main } from './main.js';

const FIX = join(REPO_ROOT, 'fixtures', 'agreement');
const SR = 'sr-x2-demo';
let out: string[];
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-compare-'));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  process.exitCode = undefined;
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
});

async function only(dir: string): Promise<string> {
  const [name] = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory());
  return name!.name;
}

/** The round's weights as the chain would get them: normalised, or 1 to the fallback uid. */
async function normalised(dir: string): Promise<Record<string, number>> {
  const round = await only(dir);
  const { weights } = await readDocument(join(dir, round, 'score.json'), ScoreSchema);
  return weights.fallback ? { [`uid ${weights.fallback.uid}`]: 1 } : { ...weights.normalised };
}

describe('podium compare', () => {
  it.each([SR, 'mnist-nas-demo'])(
    'two independent validators of the same %s round: same frozen inputs, every figure printed',
    async (contest) => {
      const [a, b] = [join(FIX, 'a', contest), join(FIX, 'b', contest)];
      const code = await main(['compare', a, b]);
      const text = out.join('\n');
      expect(text).toContain(
        'frozen inputs: same cutoff block, seed, contest file and submission set',
      );
      expect(text).toMatch(/runners A: agreement-a; B: agreement-b/);
      expect(text).toMatch(/non-tied pairs ordered the same: \d+ of \d+/);
      expect(text).toMatch(/verdicts that differ: \d+/);
      // The L1 distance printed is the one of the two committed vectors.
      const [wa, wb] = [await normalised(a), await normalised(b)];
      const hotkeys = new Set([...Object.keys(wa), ...Object.keys(wb)]);
      const l1 = [...hotkeys].reduce((s, h) => s + Math.abs((wa[h] ?? 0) - (wb[h] ?? 0)), 0);
      expect(text).toContain(`L1 distance ${Number(l1.toPrecision(6))}`);
      expect(text).toContain(`vtrust estimate: ${Number((1 - l1 / 2).toPrecision(6))}`);
      const within = text.includes('agreement within what the noise settings predict');
      expect(code).toBe(within ? 0 : 1);
    },
  );

  /** B's round with one submission's timings scaled by `factor`, re-scored by `podium score`. */
  async function rescoredB(name: string, pick: (a: Submission) => boolean, factor: number) {
    const contests = join(root, 'contests');
    await cp(join(FIX, 'contests'), contests, { recursive: true });
    await mkdir(join(contests, SR, 'inputs'), { recursive: true });
    const b = join(root, name, SR);
    await cp(join(FIX, 'b', SR), b, { recursive: true });
    const round = await only(b);
    const a = join(FIX, 'a', SR);
    const scoreA = await readDocument(join(a, round, 'score.json'), ScoreSchema);
    const subject = scoreA.submissions.find(pick)!;
    const bench = join(b, round, 'bench', 'agreement-b', `${subject.hotkey}.json`);
    const doc = JSON.parse(await readFile(bench, 'utf8')) as { samples: { ms: number[] } };
    doc.samples.ms = doc.samples.ms.map((ms) => ms * factor);
    await writeFile(bench, JSON.stringify(doc));
    await rm(join(b, round, 'score.json'));
    expect(await main(['score', '--round', join(b, round), '--contest', join(contests, SR)])).toBe(
      0,
    );
    out.length = 0;
    return { a, b, subject };
  }

  it('exits 1 for a deliberately diverging pair: the leader slowed on B, re-scored', async () => {
    const { a, b, subject: leader } = await rescoredB('diverging', (s) => s.earns, 4);
    expect(await main(['compare', a, b])).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(
      new RegExp(
        `uid ${leader.uid} ${leader.hotkey}: A earns, B valid, no weight: interval-across-noise-floor \\(beyond noise\\)`,
      ),
    );
    expect(text).toMatch(
      /reversed: .* A ranks 1 and 2, B ranks 2 and 1|reversed: .* A ranks 2 and 1, B ranks 1 and 2/,
    );
    expect(text).toContain('BEYOND what the noise settings predict');
    // A pays the leader everything, B (nobody earns) the fallback uid: nothing in common.
    expect(text).toContain('L1 distance 2 (identical: no)');
    expect(text).toContain('vtrust estimate: 0 ');
    expect(text).toContain('disagreement beyond what the noise settings predict: exit 1');
  });

  it('exits 0 for a verdict flip whose intervals overlap, naming the settings that would close it', async () => {
    // The runner-up 20 % faster on B: it now clears the earn line there, within A's interval.
    const second = (s: Submission) => s.valid && !s.earns;
    const { a, b, subject } = await rescoredB('flip', second, 0.8);
    expect(await main(['compare', a, b])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(
      new RegExp(
        `uid ${subject.uid} ${subject.hotkey}: A valid, no weight, B earns: interval-across-noise-floor \\(within noise\\): intervals .* overlap`,
      ),
    );
    expect(text).toContain('would close it: measurement.minSamples');
    expect(text).toMatch(/L1 distance 0\.\d+ \(identical: no\)/);
    expect(text).toContain('agreement within what the noise settings predict');
  });

  it('exits 1 when the two froze different inputs, saying which and why', async () => {
    const b = join(root, 'forked', SR);
    await cp(join(FIX, 'b', SR), b, { recursive: true });
    const round = await only(b);
    const file = join(b, round, 'round.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { seed: string };
    const seed = doc.seed;
    doc.seed = `0x${'ab'.repeat(32)}`;
    await writeFile(file, JSON.stringify(doc));
    expect(await main(['compare', join(FIX, 'a', SR), b])).toBe(1);
    expect(out.join('\n')).toContain(
      `frozen inputs differ: seed ${seed} vs 0x${'ab'.repeat(32)} (it comes from the cutoff block hash)`,
    );
  });

  it('refuses results of two different contests, naming the file and field', async () => {
    const b = join(FIX, 'b', 'mnist-nas-demo');
    const round = await only(b);
    expect(await main(['compare', join(FIX, 'a', SR), b])).toBe(1);
    expect(out.join('\n')).toContain(
      `${join(b, round, 'round.json')}: /contest/id is not the contest of ` +
        `${join(FIX, 'a', SR, round, 'round.json')} ("${SR}"): podium compare needs two validators' ` +
        `results of the same contest (got "mnist-nas-demo") [same-contest]`,
    );
  });
});
