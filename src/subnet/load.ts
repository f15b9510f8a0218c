/**
 * Loading subnet files: every `subnets/<netuid>.json` is parsed strictly (duplicate keys
 * refused), schema-validated, then checked against the rules a schema cannot express: the file
 * name is the netuid, shares are all given and sum to 1 (or all omitted: equal shares), a
 * contest is listed once across all files, and each contest's own `chain.netuid` agrees.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadContest } from '../contest/load.js';
import { DocumentError, type Problem } from '../json/errors.js';
import { checkDocument, parseJson, type Frozen } from '../json/file.js';
import { SubnetSchema, type SubnetDocument } from './schema.js';

/** Tolerance on the sum of shares (they are written as decimals: 1/3 cannot sum exactly). */
export const SHARE_SUM_TOLERANCE = 1e-6;

/** One contest of a subnet with its resolved share and age limit. */
export interface SubnetMember {
  readonly id: string;
  readonly share: number;
  readonly maxRoundAgeHours: number;
}

/** A validated subnet file. */
export interface LoadedSubnet {
  readonly file: string;
  readonly subnet: Frozen<SubnetDocument>;
  readonly members: readonly SubnetMember[];
}

const PERIOD_HOURS = { daily: 24, weekly: 168 } as const;

/**
 * Loads every `*.json` in `subnetsDir` (none when the folder does not exist), checking each
 * listed contest against `contestsDir/<id>/contest.json`. Returns them by netuid order. Throws
 * DocumentError naming the file, the JSON pointer and the bad value.
 */
export async function loadSubnets(
  subnetsDir: string,
  contestsDir: string,
): Promise<LoadedSubnet[]> {
  const names = await readdir(subnetsDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const loaded: LoadedSubnet[] = [];
  const listedIn = new Map<string, string>();
  for (const name of names.filter((n) => n.endsWith('.json')).sort(byNumber)) {
    const file = join(subnetsDir, name);
    const subnet = checkDocument(file, parseJson(file, await readFile(file, 'utf8')), SubnetSchema);
    const problems = fileRules(name, subnet, listedIn, file);
    const members: SubnetMember[] = [];
    for (const [i, c] of subnet.contests.entries()) {
      const { problem, hours } = await contestRule(contestsDir, c.id, subnet.netuid, i);
      if (problem) problems.push(problem);
      const share = c.share ?? 1 / subnet.contests.length;
      members.push({ id: c.id, share, maxRoundAgeHours: c.maxRoundAgeHours ?? hours });
    }
    if (problems.length > 0) throw new DocumentError(file, problems);
    loaded.push({ file, subnet, members });
  }
  return loaded;
}

/** The subnet file listing contest `id`, or null when none does. */
export function subnetOf(subnets: readonly LoadedSubnet[], id: string): LoadedSubnet | null {
  return subnets.find((s) => s.members.some((m) => m.id === id)) ?? null;
}

function byNumber(a: string, b: string): number {
  return Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b);
}

function fileRules(
  name: string,
  subnet: Frozen<SubnetDocument>,
  listedIn: Map<string, string>,
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  if (name !== `${subnet.netuid}.json`) {
    problems.push({
      pointer: '/netuid',
      rule: 'file-name',
      message: `must equal the file name's netuid (the file is ${name}; name it ${subnet.netuid}.json)`,
      value: subnet.netuid,
    });
  }
  const given = subnet.contests.filter((c) => c.share !== undefined);
  if (given.length > 0 && given.length < subnet.contests.length) {
    const missing = subnet.contests.findIndex((c) => c.share === undefined);
    problems.push({
      pointer: `/contests/${missing}/share`,
      rule: 'shares-all-or-none',
      message: 'is missing: give every contest a share (summing to 1) or none (equal shares)',
    });
  } else if (given.length > 0) {
    const sum = given.reduce((s, c) => s + c.share!, 0);
    if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
      problems.push({
        pointer: '/contests',
        rule: 'shares-sum',
        message: `shares must sum to 1, they sum to ${Number(sum.toPrecision(6))} (${given.map((c) => c.share).join(' + ')})`,
      });
    }
  }
  for (const [i, c] of subnet.contests.entries()) {
    const other = listedIn.get(c.id);
    if (other !== undefined) {
      problems.push({
        pointer: `/contests/${i}/id`,
        rule: 'contest-in-two-subnets',
        message: `is already listed in ${other}: a contest belongs to one subnet file`,
        value: c.id,
      });
    } else listedIn.set(c.id, file);
  }
  return problems;
}

async function contestRule(
  contestsDir: string,
  id: string,
  netuid: number,
  i: number,
): Promise<{ problem: Problem | null; hours: number }> {
  const dir = join(contestsDir, id);
  try {
    const { contest, file } = await loadContest(dir);
    const hours = 2 * PERIOD_HOURS[contest.schedule.cadence];
    if (contest.chain.netuid === netuid) return { problem: null, hours };
    return {
      hours,
      problem: {
        pointer: `/contests/${i}/id`,
        rule: 'contest-netuid',
        message: `names a contest whose ${file} has chain.netuid ${contest.chain.netuid}, not this file's netuid ${netuid}`,
        value: id,
      },
    };
  } catch (err) {
    const why = err instanceof DocumentError ? 'is not a valid contest' : 'cannot be read';
    return {
      hours: 48,
      problem: {
        pointer: `/contests/${i}/id`,
        rule: 'contest',
        message: `names a contest whose ${join(dir, 'contest.json')} ${why}: ${(err as Error).message.split('\n')[0]}`,
        value: id,
      },
    };
  }
}
