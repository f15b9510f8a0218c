/** Decoding images into the models' input layout: NHWC float32 RGB, values 0..255. */
import sharp from 'sharp';

/** An RGB image as a [1, height, width, 3] float32 tensor's data, values 0..255. */
export interface RgbImage {
  readonly height: number;
  readonly width: number;
  readonly data: Float32Array;
}

/** Decodes an image file (alpha dropped) to NHWC float32 RGB; throws when sharp cannot read it. */
export async function readRgbImage(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: expected 3 channels, got ${info.channels}`);
  return { height: info.height, width: info.width, data: Float32Array.from(data) };
}
