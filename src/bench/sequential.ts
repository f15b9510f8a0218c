/**
 * Wiring sequential measurement into the protocol (docs/adr/0140-sequential-precision.md):
 * the A/A check that refuses a runner too noisy for the contest's precision, and the stopping
 * rule the interleaved phase runs under. The decisions themselves are in precision.ts.
 */
import type { WireTensor } from './child/protocol.js';
import { BenchError } from './errors.js';
import {
  Contestant,
  interleave,
  prepare,
  type Log,
  type MeasureSettings,
  type PrecisionRecord,
  type Until,
} from './measure.js';
import {
  decide,
  judgeAa,
  lookAt,
  type AaVerdict,
  type LookEstimator,
  type LookResult,
  type PrecisionTarget,
} from './precision.js';
import { lookConfidence } from '../score/ratio.js';
import type { Samples } from '../score/bootstrap.js';
import { recordedMs } from './document.js';

/** Samples as the bench file will record them, so a look's interval is score.json's. */
function recorded(c: Contestant): Samples {
  return { ...c.samples, ms: c.samples.ms.map(recordedMs) };
}

/**
 * Runs the baseline against a second copy of itself for `aaSeconds`, then forgets those
 * samples. Returns the verdict; throws BenchError('too-noisy') with the figures when even the
 * cap could not reach the target at this noise.
 */
export async function aaCheck(
  base: Contestant,
  feeds: readonly (readonly WireTensor[])[],
  s: MeasureSettings,
  sampleTimeoutMs: number,
  target: PrecisionTarget,
  estimator: LookEstimator,
  log: Log,
): Promise<AaVerdict> {
  const twin = new Contestant('baseline (A/A)', base.path, true);
  let seconds = 0;
  let result: LookResult;
  try {
    await prepare(twin, feeds, s, null);
    const until: Until = (samples, elapsed) => {
      seconds = elapsed;
      return samples >= 2 && elapsed >= target.aaSeconds;
    };
    await interleave([base, twin], feeds.length, s, sampleTimeoutMs, { log, until });
    result = lookAt(recorded(base), recorded(twin), estimator, target.looks);
  } finally {
    await twin.stop();
    for (const list of Object.values(base.samples)) list.length = 0;
    base.intervals.length = 0;
  }
  const verdict = judgeAa(target, result, seconds);
  log(
    `A/A check: ±${(100 * verdict.halfWidth).toFixed(2)} % over ${verdict.pairs} pairs in ${seconds.toFixed(1)} s, cap projects ±${(100 * verdict.projectedHalfWidth).toFixed(2)} %`,
  );
  if (verdict.tooNoisy !== null) throw new BenchError('too-noisy', verdict.tooNoisy);
  return verdict;
}

/**
 * Returns the stopping rule for the interleaved phase: looks per precision.ts, the cap being
 * `maxSeconds` × the live submissions at the start. When it stops, every live contestant's
 * `precision` record is written (the baseline's carries the A/A figures and the worst width).
 */
export function untilPrecise(
  contestants: readonly Contestant[],
  s: MeasureSettings,
  target: PrecisionTarget,
  estimator: LookEstimator,
  aa: AaVerdict | null,
): Until {
  const base = contestants.find((c) => c.baseline);
  const live = () => contestants.filter((c) => c.alive() && !c.baseline);
  const capSeconds = target.maxSeconds * Math.max(1, live().length);
  let taken = 0;
  let last = new Map<Contestant, LookResult>();
  return (pairs, seconds) => {
    if (!base || seconds < s.minSeconds) return false;
    const subs = live();
    const verdict = decide(target, s.minSamples, { pairs, taken, seconds, capSeconds }, () => {
      const b = recorded(base);
      return subs.map((c) => lookAt(b, recorded(c), estimator, target.looks));
    });
    if (verdict.looked) {
      taken += 1;
      last = new Map(subs.map((c, i) => [c, verdict.looked![i]!] as const));
    }
    if (verdict.stop === null) return false;
    const record = (r: LookResult | undefined): PrecisionRecord => ({
      target: target.halfWidth,
      confidence: lookConfidence(estimator.confidence, target.looks),
      looks: target.looks,
      looksTaken: taken,
      halfWidth: r?.halfWidth ?? null,
      pairs: r?.pairs ?? 0,
      seconds,
      reached: r?.halfWidth != null && r.halfWidth <= target.halfWidth,
      stopped: verdict.stop!,
      aa: null,
    });
    for (const c of subs) c.precision = record(last.get(c));
    const worst = [...last.values()].reduce<LookResult | undefined>(
      (w, r) => (w === undefined || (r.halfWidth ?? Infinity) > (w.halfWidth ?? Infinity) ? r : w),
      undefined,
    );
    base.precision = {
      ...record(worst ?? { halfWidth: null, pairs }),
      reached: verdict.stop === 'reached',
      aa: aa && {
        halfWidth: aa.halfWidth,
        pairs: aa.pairs,
        seconds: aa.seconds,
        projectedHalfWidth: aa.projectedHalfWidth,
      },
    };
    return true;
  };
}

/**
 * Returns the baseline's precision record over every resident group (docs/adr/0155): the
 * record of the group whose worst submission was widest (its half-width, pairs and looks),
 * with the seconds of all groups together; `reached` only when every group reached the
 * target, and `stopped` the first group's reason that is not `reached`. Null for no records.
 * Pure.
 */
export function mergeBaselinePrecision(
  records: readonly PrecisionRecord[],
): PrecisionRecord | null {
  if (records.length === 0) return null;
  const width = (r: PrecisionRecord) => r.halfWidth ?? Number.POSITIVE_INFINITY;
  const worst = records.reduce((w, r) => (width(r) > width(w) ? r : w));
  const short = records.find((r) => r.stopped !== 'reached');
  return {
    ...worst,
    seconds: records.reduce((t, r) => t + r.seconds, 0),
    reached: records.every((r) => r.reached),
    stopped: short?.stopped ?? 'reached',
    aa: records[0]!.aa,
  };
}
