/** Weight layout conversions between TensorFlow and ONNX. */
import type { Weight } from './layers.js';

/** TF HWIO kernel → ONNX OIHW. */
export function hwioToOihw(kernel: Weight): Float32Array {
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const out = new Float32Array(kernel.values.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          out[((o * cin + i) * kh + h) * kw + w] = kernel.values[
            ((h * kw + w) * cin + i) * cout + o
          ] as number;
        }
  return out;
}
