/** The contest's rules in plain words, and fix hints for the reason codes a submission can get. */
import type { Contest } from '../contest/load.js';
import { cutoffInstant, isRoundDate } from '../schedule/rounds.js';
import { h } from './html.js';

/** The next cutoff instant after `now` (ISO), or null when none within a year. */
export function nextCutoff(contest: Contest, now: Date): string | null {
  for (let d = -1; d < 370; d++) {
    const date = new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    if (!isRoundDate(contest.schedule, date)) continue;
    const instant = cutoffInstant(contest.schedule, date);
    if (Date.parse(instant) > now.getTime()) return instant;
  }
  return null;
}

/** The scoring rules as a definition list in plain words. */
export function rulesHtml(c: Contest): string {
  const s = c.scoring;
  const sim = s.similarity;
  const strategy =
    s.strategy === 'speed-at-parity'
      ? 'speed at parity: a valid submission (fidelity reached) earns when it is faster than the baseline beyond noise; faster beyond noise ranks higher'
      : `pareto: submissions are placed on the front of the objectives ${(s.objectives ?? []).map((o) => o.metric).join(', ')}; one earns when it dominates the baseline`;
  const w = s.weights;
  const weights =
    w.scheme === 'ema'
      ? `an exponential moving average over rounds (${JSON.stringify(w)})`
      : `${w.scheme} over the last ${w.historyRounds} round(s) (${JSON.stringify(w)})`;
  const facts: [string, string][] = [
    ['strategy', strategy],
    ['fidelity', `${sim.measure} ${sim.threshold} (${c.task}); below it a submission is invalid`],
    [
      'noise floor',
      `${s.noiseFloor}: the lower bound of the speed-up interval must exceed 1 + ${s.noiseFloor}`,
    ],
    ['confidence', String(s.confidence)],
    ['weights over rounds', weights],
  ];
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl>`;
}

const HINTS: Readonly<Record<string, string>> = {
  fidelity:
    'outputs differ too much from the baseline: check the conversion (precision, layout) on the named input',
  'fidelity-below-threshold':
    'outputs differ too much from the baseline: check the conversion on the worst sample',
  'sample-timeout':
    'a run took far longer than the baseline: profile the model on the contest device',
  truncated: 'the file is not a whole ONNX model: re-upload it and commit its new sha256',
  'operator-domain': 'use only the operator domains the contest allows (limits in contest.json)',
  'hash-mismatch':
    'the commitment names another sha256 than the file: commit the hash of the file you published',
  copy: 'another hotkey committed the same artifact first: submit your own model',
  'baseline-copy': 'the artifact is the baseline itself: submit an optimised model',
  'load-timeout': 'the model takes too long to load: reduce its size or initialisers',
};

/** A short fix hint for a reason code, or a pointer to the docs. */
export function fixHint(code: string): string {
  return HINTS[code] ?? 'see docs/miner.md for this reason code';
}
