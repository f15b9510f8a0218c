/**
 * Downscaling by an integer factor the way super-resolution models are trained and evaluated
 * (MATLAB `imresize`, bicubic, antialiased): separable Keys cubic (a = −0.5) stretched by the
 * factor, taps at the output pixel's centre, edge pixels repeated, each channel rounded to
 * 8 bits. Plain float64 arithmetic in a fixed order, so the same pixels come out everywhere.
 */

/** Keys' cubic convolution kernel with a = −0.5. */
function cubic(x: number): number {
  const t = Math.abs(x);
  if (t <= 1) return 1.5 * t ** 3 - 2.5 * t ** 2 + 1;
  if (t < 2) return -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2;
  return 0;
}

/** Taps of one output position: source indices and normalised weights. */
function taps(out: number, size: number, factor: number): { index: number[]; weight: number[] } {
  const centre = (out + 0.5) * factor - 0.5;
  const reach = 2 * factor;
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = Math.floor(centre - reach); i <= Math.ceil(centre + reach); i++) {
    const w = cubic((i - centre) / factor) / factor;
    if (w === 0) continue;
    index.push(Math.min(size - 1, Math.max(0, i)));
    weight.push(w);
  }
  const total = weight.reduce((a, b) => a + b, 0);
  return { index, weight: weight.map((w) => w / total) };
}

/**
 * Downscales interleaved 8-bit pixels (`width` × `height` × `channels`) by `factor`, which must
 * divide both sides. Returns the smaller image's interleaved 8-bit pixels.
 */
export function downscaleBicubic(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  factor: number,
): Uint8Array {
  if (!Number.isInteger(factor) || factor < 1 || width % factor || height % factor) {
    throw new RangeError(`cannot downscale ${width}x${height} by ${factor}`);
  }
  const w = width / factor;
  const h = height / factor;
  const across = Array.from({ length: w }, (_, x) => taps(x, width, factor));
  const down = Array.from({ length: h }, (_, y) => taps(y, height, factor));
  const rows = new Float64Array(height * w * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < w; x++) {
      const t = across[x]!;
      for (let c = 0; c < channels; c++) {
        let v = 0;
        for (let k = 0; k < t.index.length; k++) {
          v += t.weight[k]! * pixels[(y * width + t.index[k]!) * channels + c]!;
        }
        rows[(y * w + x) * channels + c] = v;
      }
    }
  }
  const out = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    const t = down[y]!;
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) {
        let v = 0;
        for (let k = 0; k < t.index.length; k++) {
          v += t.weight[k]! * rows[(t.index[k]! * w + x) * channels + c]!;
        }
        out[(y * w + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return out;
}
