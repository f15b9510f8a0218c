/**
 * Round inputs as seeded random tensors: every model input filled from the round seed (float32
 * uniform in [0, valueScale), uint8 uniform in 0..255). For tasks whose inputs are not images.
 */
import type { LoadedContest } from '../contest/load.js';
import { InputsError } from './errors.js';
import { SeedStream } from './seed-stream.js';
import { feedType } from './image-crops.js';
import type { Feed, Sample } from './types.js';

/**
 * Draws `inputs.samplesPerRound` samples of random tensors for the baseline's inputs. Throws
 * InputsError when an input has a free dimension or an unsupported element type.
 */
export function randomSamples(loaded: LoadedContest, seed: string): Sample[] {
  const c = loaded.contest;
  const stream = new SeedStream(seed, 'podium/inputs/tensors');
  const samples: Sample[] = [];
  for (let index = 0; index < c.inputs.samplesPerRound; index++) {
    const feeds = c.baseline.io.inputs.map((sig): Feed => {
      const type = feedType(sig.elementType, loaded.file);
      const dims = sig.shape.map((d) => {
        if (typeof d === 'number') return d;
        throw new InputsError(`${loaded.file}: tensor input ${sig.name} needs fixed dims`);
      });
      const size = dims.reduce((a, b) => a * b, 1);
      const data = type === 'uint8' ? new Uint8Array(size) : new Float32Array(size);
      for (let i = 0; i < size; i++) {
        data[i] = type === 'uint8' ? stream.below(256) : stream.float() * c.inputs.valueScale;
      }
      return { name: sig.name, type, dims, data };
    });
    samples.push({ index, source: null, left: 0, top: 0, label: null, feeds });
  }
  return samples;
}
