/**
 * The one error type of the chain boundary. Every message says what failed, against which
 * endpoint or block, and what the user can do about it; `code` lets callers branch without
 * parsing text.
 */

/** Machine-readable reason of a ChainError. */
export type ChainErrorCode =
  | 'spec' // chain spec missing, unreadable or with the wrong sha256
  | 'genesis' // the runtime refused to build the genesis state
  | 'endpoint' // endpoint name unknown or URL malformed
  | 'unreachable' // could not connect (after retries)
  | 'disconnected' // the connection dropped during a call (after retries)
  | 'timeout' // a call or an inclusion wait took too long
  | 'shape' // the runtime's metadata lacks a call/storage podium needs, or has another shape
  | 'cutoff' // cutoff instant outside the chain's history
  | 'dispatch' // the extrinsic was included but failed
  | 'invalid' // the extrinsic was refused by the pool (bad nonce, no funds…)
  | 'rate-limit' // a chain rate limit forbids the call now; the message says when it may pass
  | 'key' // the signing key could not be loaded
  | 'input'; // arguments podium was given do not make sense (no weights, bad hash…)

/** A chain-side failure with an actionable message. */
export class ChainError extends Error {
  constructor(
    readonly code: ChainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChainError';
  }
}

/** Returns the message of any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
