/** The IO every MNIST catalogue model has (the classification contest's baseline signature). */
export const MNIST_IO =
  'input image float32 [1,28,28,1] (NHWC, 0..1) → output probabilities float32 [1,10] (softmax)';
