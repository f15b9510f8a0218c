/**
 * podium's on-chain commitment format, version 1: `podium/1 <contest-id> <sha256-hex>`, one
 * UTF-8 text of at most 128 bytes (the runtime's largest `Raw` field), single spaces, lower-case
 * hex. Pure functions: formatting refuses bad input; parsing never throws and says why a
 * commitment is not a podium/1 submission.
 */
import { ChainError } from './errors.js';

/** The prefix of every podium commitment of format version 1. */
export const COMMITMENT_PREFIX = 'podium/1';
/** Largest commitment the runtime stores in one `Raw` field. */
export const MAX_COMMITMENT_BYTES = 128;
/** Longest contest id that fits: 128 − "podium/1 ".length − " ".length − 64. */
export const MAX_COMMITTED_CONTEST_ID = MAX_COMMITMENT_BYTES - COMMITMENT_PREFIX.length - 2 - 64;

const CONTEST_ID = /^[a-z0-9][a-z0-9-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Why a commitment is not a usable podium/1 submission. */
export type CommitmentProblem =
  | 'foreign' // not a podium commitment (another subnet tool, free text)
  | 'unsupported-version' // podium/<n> with n ≠ 1
  | 'malformed' // podium/1 but the fields are wrong
  | 'too-long' // more than 128 bytes
  | 'not-text'; // bytes that are not UTF-8, or a non-Raw field

/** A parsed commitment: the submission it names, or the problem with a message. */
export type ParsedCommitment =
  | { readonly ok: true; readonly contestId: string; readonly sha256: string }
  | { readonly ok: false; readonly reason: CommitmentProblem; readonly message: string };

/**
 * Returns the commitment text for a submission. Throws ChainError('input') when the contest id
 * is not a slug or too long to fit, or the sha256 is not 64 lower-case hex characters.
 */
export function formatCommitment(contestId: string, sha256: string): string {
  if (!CONTEST_ID.test(contestId)) {
    throw new ChainError(
      'input',
      `contest id "${contestId}" must be lower-case letters, digits and "-"`,
    );
  }
  if (contestId.length > MAX_COMMITTED_CONTEST_ID) {
    throw new ChainError(
      'input',
      `contest id "${contestId}" is ${contestId.length} characters; a podium/1 commitment fits ids ` +
        `of at most ${MAX_COMMITTED_CONTEST_ID} within ${MAX_COMMITMENT_BYTES} bytes`,
    );
  }
  if (!SHA256.test(sha256)) {
    throw new ChainError('input', `sha256 must be 64 lower-case hex characters (got "${sha256}")`);
  }
  return `${COMMITMENT_PREFIX} ${contestId} ${sha256}`;
}

/** Parses a commitment text; never throws. */
export function parseCommitment(text: string): ParsedCommitment {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (!text.startsWith('podium/')) {
    return problem(
      'foreign',
      `not a podium commitment (starts with ${JSON.stringify(text.slice(0, 16))})`,
    );
  }
  if (bytes > MAX_COMMITMENT_BYTES) {
    return problem(
      'too-long',
      `is ${bytes} bytes; a commitment holds at most ${MAX_COMMITMENT_BYTES}`,
    );
  }
  const [head, ...fields] = text.split(' ');
  if (head !== COMMITMENT_PREFIX) {
    return problem(
      'unsupported-version',
      `format "${head}" is not supported; this podium reads ${COMMITMENT_PREFIX}`,
    );
  }
  if (fields.length !== 2) {
    return problem(
      'malformed',
      `must be "${COMMITMENT_PREFIX} <contest-id> <sha256>" with single spaces`,
    );
  }
  const [contestId, sha256] = fields as [string, string];
  if (!CONTEST_ID.test(contestId)) {
    return problem(
      'malformed',
      `contest id ${JSON.stringify(contestId)} is not lower-case letters, digits and "-"`,
    );
  }
  if (!SHA256.test(sha256)) {
    return problem(
      'malformed',
      `sha256 ${JSON.stringify(sha256)} is not 64 lower-case hex characters`,
    );
  }
  return { ok: true, contestId, sha256 };
}

/**
 * Decodes the bytes of a `Raw` commitment field as UTF-8 and parses them; bytes that are not
 * valid UTF-8 come back as `not-text`. Returns the text (null when not UTF-8) and the parse.
 */
export function parseCommitmentBytes(bytes: Uint8Array): {
  text: string | null;
  parsed: ParsedCommitment;
} {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      text: null,
      parsed: problem('not-text', `${bytes.length} bytes that are not UTF-8 text`),
    };
  }
  return { text, parsed: parseCommitment(text) };
}

function problem(reason: CommitmentProblem, message: string): ParsedCommitment {
  return { ok: false, reason, message };
}
