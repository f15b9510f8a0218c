/**
 * docs/scoring.md's worked example, recomputed: the contest settings, the timings and the
 * previous round's shares are read from the document, scored with scoreRound, and the
 * document's result and weight tables must match the output cell for cell.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ContestDocument } from '../contest/schema.js';
import { validateDocument } from '../schemas/validate.js';
import { ScoreSchema, type ScoreDocument } from '../documents/score.js';
import { scoreRound } from './score.js';
import {
  DEV_HOTKEYS,
  testBench,
  testContest,
  testLabelledContest,
  testRound,
  timings,
} from './testing.js';
import { exampleSection, tableRows } from '../../test/doc-examples.js';

const DOC = fileURLToPath(new URL('../../docs/scoring.md', import.meta.url));
type Name = keyof typeof DEV_HOTKEYS;

function parseExample(doc: string) {
  const settings = JSON.parse(exampleSection(doc, 'contest').replace(/^```json\n|\n```$/g, '')) as {
    metrics: ContestDocument['metrics'];
    scoring: Parameters<typeof testContest>[1];
  };
  const contest = testContest(settings.metrics, settings.scoring);
  const rows = tableRows(exampleSection(doc, 'inputs'));
  const subs = rows.filter((r) => r[0] !== 'baseline');
  const round = testRound(
    subs.map(([name, uid, block, artifact]) => ({
      hotkey: DEV_HOTKEYS[name as Name],
      uid: Number(uid),
      block: Number(block),
      artifact: DEV_HOTKEYS[artifact as Name],
    })),
  );
  const bench = rows.map(([name, uid, , artifact, rss, psnr, ms]) => {
    const ownBaseline = name === 'baseline';
    return testBench({
      hotkey: ownBaseline ? undefined : DEV_HOTKEYS[name as Name],
      uid: ownBaseline ? undefined : Number(uid),
      artifact: ownBaseline ? undefined : DEV_HOTKEYS[artifact as Name],
      peakRssBytes: Number(rss!.replaceAll(',', '')),
      psnr: ownBaseline ? undefined : psnr!.split(' ').map(Number),
      ms: ms!.split(' ').map(Number),
    });
  });
  return { contest, round, bench, weightRows: tableRows(exampleSection(doc, 'weights')) };
}

function nameOf(hotkey: string): string {
  return Object.entries(DEV_HOTKEYS).find(([, h]) => h === hotkey)![0];
}

const interval = (x: { point: number; lower: number; upper: number } | null | undefined) =>
  x ? `${x.point} [${x.lower}, ${x.upper}]` : '–';

function resultRows(doc: ScoreDocument): string[][] {
  return doc.submissions.map((s) => [
    nameOf(s.hotkey),
    s.valid ? 'yes' : s.reasons.map((r) => r.code).join(', '),
    interval(s.metrics.latency),
    s.metrics.memory ? String(s.metrics.memory.point) : '–',
    interval(s.score),
    s.earns ? 'yes' : 'no',
    s.rank === null ? '–' : String(s.rank),
    s.position === null ? '–' : String(s.position),
    String(s.share),
  ]);
}

describe('docs/scoring.md worked example', () => {
  it('recomputes the result table from the example timings', async () => {
    const doc = await readFile(DOC, 'utf8');
    const { contest, round, bench } = parseExample(doc);
    const score = scoreRound({ contest, round, bench, history: [] });
    expect(resultRows(score)).toEqual(tableRows(exampleSection(doc, 'results')));
  });

  it("recomputes the weight table, the previous round's shares included", async () => {
    const doc = await readFile(DOC, 'utf8');
    const { contest, round, bench, weightRows } = parseExample(doc);
    const first = scoreRound({ contest, round, bench, history: [] });
    const previous = structuredClone(first);
    previous.round = '2025-02-28';
    previous.weights.shares = Object.fromEntries(
      weightRows.filter((r) => r[1] !== '0').map((r) => [DEV_HOTKEYS[r[0] as Name], Number(r[1])]),
    );
    expect(validateDocument(ScoreSchema, previous)).toEqual([]);
    const score = scoreRound({ contest, round, bench, history: [previous] });
    const rows = weightRows.map(([name, prev]) => {
      const h = DEV_HOTKEYS[name as Name];
      return [
        name!,
        prev!,
        String(score.weights.shares[h] ?? 0),
        String(score.weights.normalised[h] ?? 0),
        String(score.weights.u16[h] ?? 0),
      ];
    });
    expect(rows).toEqual(weightRows);
  });
});

describe("docs/scoring.md's pareto worked example (labelled classification)", () => {
  it('recomputes the front, the ties and the shares from the example counts', async () => {
    const doc = await readFile(DOC, 'utf8');
    const settings = JSON.parse(
      exampleSection(doc, 'pareto-contest').replace(/^```json\n|\n```$/g, ''),
    ) as {
      scoring: Parameters<typeof testLabelledContest>[0] & { similarity: { threshold: number } };
    };
    const contest = testLabelledContest(settings.scoring, settings.scoring.similarity.threshold);
    const rows = tableRows(exampleSection(doc, 'pareto-inputs'));
    const subs = rows.filter((r) => r[0] !== 'baseline');
    const round = testRound(
      subs.map(([name, uid, block]) => ({
        hotkey: DEV_HOTKEYS[name as Name],
        uid: Number(uid),
        block: Number(block),
      })),
    );
    const bench = rows.map(([name, uid, , correct, parameters, flops]) =>
      testBench({
        hotkey: name === 'baseline' ? undefined : DEV_HOTKEYS[name as Name],
        uid: name === 'baseline' ? undefined : Number(uid),
        inputs: 400,
        correct: Number(correct),
        parameters: Number(parameters),
        flops: Number(flops),
        ms: timings(2, 400),
      }),
    );
    const score = scoreRound({ contest, round, bench, history: [] });
    const value = (s: ScoreDocument['submissions'][number], name: string) =>
      s.objectives?.find((o) => o.name === name)?.value;
    const got = score.submissions.map((s) => [
      nameOf(s.hotkey),
      s.valid ? 'yes' : s.reasons.map((r) => r.code).join(', '),
      interval(value(s, 'accuracy')),
      s.parameters === null ? '–' : String(s.parameters),
      s.flops === null ? '–' : String(s.flops),
      s.earns ? 'yes' : 'no',
      s.rank === null ? '–' : String(s.rank),
      s.position === null ? '–' : String(s.position),
      String(s.share),
    ]);
    expect(got).toEqual(tableRows(exampleSection(doc, 'pareto-results')));
    expect(score.ties).toEqual([{ rank: 1, hotkeys: [DEV_HOTKEYS.alice, DEV_HOTKEYS.dave] }]);
  });
});
