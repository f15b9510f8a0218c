/**
 * The evaluation inputs of a round: the contest's task draws them from the round's public seed
 * (src/tasks/), and this module digests every byte of them so validators can compare. Same
 * contest + seed → byte-identical tensors on any machine, different seed → different inputs, so
 * nobody can tune a model on them before the cutoff.
 */
import { createHash } from 'node:crypto';
import type { LoadedContest } from '../contest/load.js';
import { InputsError } from '../tasks/errors.js';
import { taskOf } from '../tasks/registry.js';
import { BenchError } from './errors.js';
import type { RoundInputs, Sample } from '../tasks/types.js';

export type { Feed, FeedType, RoundInputs, Sample } from '../tasks/types.js';

/**
 * Builds the round's evaluation samples from `seed` (32-byte hex) with the contest's task.
 * Returns them with their digest; throws BenchError('inputs') when the contest's inputs cannot
 * produce them (missing folder, image smaller than the crop, unsupported element type).
 */
export async function roundInputs(loaded: LoadedContest, seed: string): Promise<RoundInputs> {
  try {
    const samples = await taskOf(loaded.contest.task).drawInputs(loaded, seed);
    return { samples, sha256: inputsDigest(samples) };
  } catch (err) {
    if (err instanceof InputsError) throw new BenchError('inputs', err.message);
    throw err;
  }
}

/** sha256 over every feed of every sample: name, type, dims and raw bytes, in order. */
export function inputsDigest(samples: readonly Sample[]): string {
  const hash = createHash('sha256');
  for (const s of samples) {
    for (const f of s.feeds) {
      hash.update(`${f.name}:${f.type}:${f.dims.join('x')}:`);
      hash.update(new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    }
  }
  return hash.digest('hex');
}
