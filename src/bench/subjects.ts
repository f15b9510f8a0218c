/**
 * Getting every subject of a run ready to measure: fetch, hold, inspect. The baseline comes first
 * and alone — fetched, verified, held and inspected before any submission is touched — and a
 * baseline failure stops the job (BenchError). Submissions are then fetched concurrently (a
 * bounded pool); anything that goes wrong with one of them, whatever it throws, becomes that
 * submission's reason and nobody else's.
 */
import type { LoadedContest } from '../contest/load.js';
import { cacheDir } from './cache.js';
import type { Subject } from './document.js';
import { fetchArtifact, type Progress } from './download.js';
import { BenchError, ModelRejection } from './errors.js';
import { createHolder, type Holder } from './hold.js';
import { inspectModel, type Inspected } from './inspect.js';
import { taskOf } from '../tasks/registry.js';
import type { Log } from './measure.js';

/** Submissions fetched at the same time, by default. */
export const FETCH_CONCURRENCY = 4;

/** A subject after download and inspection; `path` is its held copy (null when it has none). */
export interface Checked {
  readonly subject: Subject;
  readonly path: string | null;
  readonly inspected: Inspected;
}

/** Where and how to fetch. */
export interface FetchSettings {
  readonly cacheDir?: string;
  readonly ca?: string | Buffer;
  readonly onProgress?: (p: Progress) => void;
  /** Submissions fetched at once; default FETCH_CONCURRENCY. */
  readonly fetchConcurrency?: number;
  /** Grace before the minimum download rate applies (tests shorten it); see deadline.ts. */
  readonly downloadGraceMs?: number;
  /** The round's input dims by name, for static FLOPs counting at inspection. */
  readonly feedDims?: Readonly<Record<string, readonly number[]>>;
  readonly log?: Log;
}

/** The checked subjects, in order, and the holder to release when the run ends. */
export interface CheckedSubjects {
  readonly checked: Checked[];
  readonly holder: Holder;
}

/**
 * Fetches, holds and inspects `subjects` (baseline first). Returns them in the same order.
 * Throws BenchError `baseline-failed` when the baseline cannot be fetched or fails inspection.
 */
export async function checkSubjects(
  loaded: LoadedContest,
  subjects: readonly Subject[],
  settings: FetchSettings,
): Promise<CheckedSubjects> {
  const root = settings.cacheDir ?? cacheDir('artifacts');
  const holder = await createHolder(root);
  try {
    const [baselineSubject, ...rest] = subjects as [Subject, ...Subject[]];
    const baseline = await checkOne(loaded, baselineSubject, 0, holder, settings);
    if (baseline.path === null || baseline.inspected.reasons.length > 0) {
      const why = baseline.inspected.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
      throw new BenchError('baseline-failed', `the contest baseline cannot be used: ${why}`);
    }
    const limit = Math.max(1, settings.fetchConcurrency ?? FETCH_CONCURRENCY);
    const others = await mapBounded(rest, limit, (s, i) =>
      checkOne(loaded, s, i + 1, holder, settings),
    );
    return { checked: [baseline, ...others], holder };
  } catch (err) {
    await holder.release();
    throw err;
  }
}

async function checkOne(
  loaded: LoadedContest,
  subject: Subject,
  index: number,
  holder: Holder,
  settings: FetchSettings,
): Promise<Checked> {
  const log = settings.log ?? (() => undefined);
  const key = subject.hotkey ?? subject.role;
  let path: string;
  try {
    log(`fetching ${key}: ${subject.model.url}`);
    const cached = await fetchArtifact(subject.model, {
      maxBytes: loaded.contest.limits.artifactBytes,
      baseDir: loaded.dir,
      ...(settings.cacheDir ? { cacheDir: settings.cacheDir } : {}),
      ...(settings.ca ? { ca: settings.ca } : {}),
      ...(settings.onProgress ? { onProgress: settings.onProgress } : {}),
      ...(settings.downloadGraceMs !== undefined ? { graceMs: settings.downloadGraceMs } : {}),
    });
    path = await holder.hold(index, cached, subject.model);
  } catch (err) {
    const reason = asRejection(err, 'download-failed').reason();
    log(`rejected ${key} at download: ${reason.code}: ${reason.message}`);
    return { subject, path: null, inspected: { report: null, reasons: [reason] } };
  }
  let inspected: Inspected;
  try {
    const inspect = taskOf(loaded.contest.task).inspect ?? inspectModel;
    inspected = await inspect(path, loaded.contest, settings.feedDims ?? {});
  } catch (err) {
    inspected = { report: null, reasons: [asRejection(err, 'inspection-failed').reason()] };
  }
  for (const r of inspected.reasons) log(`rejected ${key} at inspection: ${r.code}: ${r.message}`);
  return { subject, path, inspected };
}

function asRejection(err: unknown, code: string): ModelRejection {
  if (err instanceof ModelRejection) return err;
  return new ModelRejection(code, (err as Error).message ?? String(err));
}

/** Maps `items` with at most `limit` calls of `fn` in flight; results keep the input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
