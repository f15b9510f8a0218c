/**
 * The onnxruntime session options for a contest's pinned settings: one function shared by the
 * child worker and the harness's bare loop, so both run with exactly the same options.
 * Plain data only (the worker bundle imports it).
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { SessionSettings } from './protocol.js';

/** SessionOptions for `executionProvider` (no fallback provider) and the pinned settings. */
export function sessionOptions(
  executionProvider: 'cpu' | 'cuda',
  s: SessionSettings,
): InferenceSession.SessionOptions {
  return {
    executionProviders: [executionProvider],
    intraOpNumThreads: s.intraOpNumThreads,
    interOpNumThreads: s.interOpNumThreads,
    graphOptimizationLevel: s.graphOptimizationLevel,
    executionMode: s.executionMode,
    enableCpuMemArena: s.enableCpuMemArena,
    enableMemPattern: s.enableMemPattern,
    logSeverityLevel: 3,
  };
}
