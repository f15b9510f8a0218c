/**
 * Weight noise for the near-copy demo variant: every weight value w of a tensor becomes
 * w + relative × σ × z, with σ the tensor's own standard deviation and z standard normal
 * (Box–Muller over mulberry32(seed), tensors in manifest order). Small enough to leave the
 * outputs almost unchanged, large enough to move every tensor's fingerprint past the
 * near-copy tolerance (docs/adr/0113-copy-fingerprints.md): the copy that only the
 * earlier-block margin stops (docs/adr/0172-earlier-block-advantage.md).
 */
import type { Layer, LayersModel, Weight } from './layers.js';
import { mulberry32 } from './random.js';

/** Returns a copy of `model` with noise of `relative` × each tensor's σ added to every weight. */
export function noiseWeights(model: LayersModel, relative: number, seed: number): LayersModel {
  const rand = mulberry32(seed);
  const normal = () => {
    const u = Math.max(rand(), Number.MIN_VALUE);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const replaced = new Map<string, Weight>();
  for (const w of model.weights) {
    let mean = 0;
    for (const v of w.values) mean += v;
    mean /= w.values.length;
    let variance = 0;
    for (const v of w.values) variance += (v - mean) ** 2;
    const sigma = Math.sqrt(variance / w.values.length);
    const values = w.values.map((v) => v + relative * sigma * normal());
    replaced.set(w.name, { ...w, values });
  }
  const swap = (w: Weight) => replaced.get(w.name) ?? w;
  const layers = model.layers.map((l): Layer =>
    l.kind === 'conv' ? { ...l, kernel: swap(l.kernel), bias: l.bias && swap(l.bias) } : l,
  );
  return { ...model, layers, weights: model.weights.map(swap) };
}
