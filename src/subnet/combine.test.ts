/**
 * docs/scoring.md § 11's worked example, recomputed: the subnet file, the contests' scores and
 * ages are read from the page, combined with combineContests under both overlap rules, and the
 * page's result table must match cell for cell. Then the rules the example does not reach.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { combineContests, quantiseCombined, type CombineContest } from './combine.js';
import { exampleSection, tableRows } from '../../test/doc-examples.js';

const DOC = fileURLToPath(new URL('../../docs/scoring.md', import.meta.url));
const HOUR = 3_600_000;
const NOW = Date.parse('2026-03-10T12:00:00Z');

async function example() {
  const doc = await readFile(DOC, 'utf8');
  const file = JSON.parse(exampleSection(doc, 'subnet-file').replace(/^```json\n|\n```$/g, '')) as {
    fallbackUid: number;
    contests: { id: string; share: number }[];
  };
  const scores = new Map(tableRows(exampleSection(doc, 'subnet-scores')).map((r) => [r[0]!, r]));
  const contests: CombineContest[] = file.contests.map((c) => {
    const [, , age, weights] = scores.get(c.id)!;
    const latest =
      age === '–'
        ? null
        : {
            round: `r-${c.id}`,
            cutoffMs: NOW - Number(age) * HOUR,
            normalised: Object.fromEntries(
              weights!.split(', ').map((kv) => {
                const [h, v] = kv.split(' ');
                return [h!, Number(v)];
              }),
            ),
          };
    return { id: c.id, share: c.share, maxRoundAgeHours: 48, latest };
  });
  return { contests, result: tableRows(exampleSection(doc, 'subnet-result')) };
}

describe('combining the contests of one netuid (docs/scoring.md § 11)', () => {
  it('recomputes the worked example under both overlap rules, cell for cell', async () => {
    const { contests, result } = await example();
    const fallbackHotkey = 'ferdie'; // uid 0 in the example
    const sum = combineContests({ contests, overlap: 'sum', nowMs: NOW });
    const largest = combineContests({ contests, overlap: 'largest', nowMs: NOW });
    const valueOf = (c: typeof sum, h: string) =>
      h === fallbackHotkey ? c.fallback : (c.byHotkey[h] ?? 0);
    const sumU16 = quantiseCombined(sum, fallbackHotkey);
    const largestU16 = quantiseCombined(largest, fallbackHotkey);
    const rows = Object.keys(sumU16)
      .sort()
      .map((h) => [
        h,
        String(valueOf(sum, h)),
        String(sumU16[h]),
        String(valueOf(largest, h)),
        String(largestU16[h]),
      ]);
    expect(rows).toEqual(result);
    expect(sum.contests.map((c) => c.status)).toEqual(['scored', 'scored', 'stale', 'no-round']);
    expect(sum.contests[2]!.message).toBe(
      'detect: last round r-detect closed 84 h ago, more than the 48 h allowed',
    );
    expect(largest.contests[0]!.toFallback).toBe(0.1);
  });

  it("gives a contest's share to the fallback uid when nobody earned its round", () => {
    const c = combineContests({
      overlap: 'sum',
      nowMs: NOW,
      contests: [
        {
          id: 'a',
          share: 0.6,
          maxRoundAgeHours: 48,
          latest: { round: 'r', cutoffMs: NOW, normalised: { x: 0 } },
        },
        {
          id: 'b',
          share: 0.4,
          maxRoundAgeHours: 48,
          latest: { round: 'r', cutoffMs: NOW, normalised: { y: 1 } },
        },
      ],
    });
    expect(c.contests[0]).toMatchObject({ status: 'no-earner', toFallback: 0.6 });
    expect(c.contests[0]!.message).toBe('a: nobody earned in r');
    expect(quantiseCombined(c, 'owner')).toEqual({ owner: 65535, y: 43690 });
  });

  it('drops the fallback share when the fallback uid is not registered, keeping the earners', () => {
    const c = combineContests({
      overlap: 'sum',
      nowMs: NOW,
      contests: [
        { id: 'a', share: 0.5, maxRoundAgeHours: 48, latest: null },
        {
          id: 'b',
          share: 0.5,
          maxRoundAgeHours: 48,
          latest: { round: 'r', cutoffMs: NOW, normalised: { y: 1 } },
        },
      ],
    });
    expect(quantiseCombined(c, null)).toEqual({ y: 65535 });
    expect(quantiseCombined({ ...c, byHotkey: {} }, null)).toEqual({});
  });
});
