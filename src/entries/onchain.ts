/**
 * The on-chain part of an entry check: is the hotkey registered on the contest's netuid, and
 * does its commitment name this contest and this sha256? The chain is reached through a small
 * interface the chain layer satisfies; without one, both checks say "not checked" — they never
 * pass silently.
 */
import { formatCommitment, parseCommitment } from '../chain/commitment.js';
import type { Check } from './checks.js';

/** What the entry check needs from the chain, at one block the source chose. */
export interface CommitmentSource {
  /** Where the answers come from, for messages: "ws://… at block 123". */
  readonly description: string;
  /** The hotkey's uid on `netuid`, or null when it is not registered there. */
  registration(netuid: number, hotkey: string): Promise<{ readonly uid: number } | null>;
  /** The hotkey's commitment on `netuid` and the block it was set at, or null when none. */
  commitment(
    netuid: number,
    hotkey: string,
  ): Promise<{ readonly text: string; readonly block: number } | null>;
}

/** What onchainChecks needs to know about the entry. */
export interface OnchainSubject {
  readonly contestId: string;
  readonly netuid: number;
  readonly hotkey: string;
  readonly sha256: string;
}

/** The exact text to commit for `subject`, or an Error when the contest id cannot be committed. */
export function expectedCommitment(contestId: string, sha256: string): string | Error {
  try {
    return formatCommitment(contestId, sha256);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Returns the `registration` and `commitment` checks for one entry. With no source, or when the
 * source fails, both are `skip` ("not checked") with the reason. Never throws.
 */
export async function onchainChecks(
  subject: OnchainSubject,
  source: CommitmentSource | null,
): Promise<Check[]> {
  const expected = expectedCommitment(subject.contestId, subject.sha256);
  const commitFix =
    expected instanceof Error
      ? expected.message
      : `run \`podium commit --contest ${subject.contestId} --sha256 ${subject.sha256}\` ` +
        `(commits exactly \`${expected}\`)`;
  if (source === null) {
    const detail = 'not checked: this check has no chain endpoint configured';
    return [
      {
        id: 'registration',
        status: 'skip',
        detail,
        fix: `register the hotkey on netuid ${subject.netuid}`,
      },
      { id: 'commitment', status: 'skip', detail, fix: commitFix },
    ];
  }
  try {
    const reg = await source.registration(subject.netuid, subject.hotkey);
    const registration: Check =
      reg === null
        ? {
            id: 'registration',
            status: 'fail',
            detail: `${subject.hotkey} is not registered on netuid ${subject.netuid} (${source.description})`,
            fix: `register the hotkey on netuid ${subject.netuid} (e.g. \`btcli subnet register --netuid ${subject.netuid}\`)`,
          }
        : {
            id: 'registration',
            status: 'pass',
            detail: `uid ${reg.uid} on netuid ${subject.netuid} (${source.description})`,
          };
    const found = await source.commitment(subject.netuid, subject.hotkey);
    return [registration, commitmentCheck(subject, found, expected, commitFix)];
  } catch (err) {
    const detail = `not checked: the chain did not answer (${err instanceof Error ? err.message : String(err)})`;
    return [
      { id: 'registration', status: 'skip', detail },
      { id: 'commitment', status: 'skip', detail, fix: commitFix },
    ];
  }
}

function commitmentCheck(
  subject: OnchainSubject,
  found: { text: string; block: number } | null,
  expected: string | Error,
  fix: string,
): Check {
  if (expected instanceof Error)
    return { id: 'commitment', status: 'fail', detail: expected.message, fix };
  if (found === null) {
    return { id: 'commitment', status: 'fail', detail: `no commitment for ${subject.hotkey}`, fix };
  }
  if (found.text === expected) {
    return { id: 'commitment', status: 'pass', detail: `\`${expected}\` at block ${found.block}` };
  }
  const parsed = parseCommitment(found.text);
  const why = !parsed.ok
    ? parsed.message
    : parsed.contestId !== subject.contestId
      ? `names contest "${parsed.contestId}", not "${subject.contestId}"`
      : `names sha256 ${parsed.sha256}, but the entry's model is ${subject.sha256}`;
  return {
    id: 'commitment',
    status: 'fail',
    detail: `on-chain commitment ${JSON.stringify(found.text)} (block ${found.block}) ${why}`,
    fix,
  };
}
