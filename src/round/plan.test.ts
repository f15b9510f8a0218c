import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../schedule/rounds.js';
import { acceptIndex, signRound } from '../results/index.js';
import { planRound } from './plan.js';
import { devKeyPair, writeRoundFixture } from '../results/testing.js';
import { addRoundFiles } from '../results/write.js';

const HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const schedule: Schedule = { cadence: 'daily', cutoff: '12:00', timeZone: 'America/Los_Angeles' };
const now = new Date('2026-03-12T21:00:00Z'); // after the 2026-03-12 cutoff
let root: string;
let results: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-plan-'));
  results = join(root, 'results', 'sr-demo');
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function commit(round: string, withScore: boolean): Promise<void> {
  const from = await writeRoundFixture(join(root, 'staging', round), 'sr-demo', round, [HOTKEY]);
  await addRoundFiles(results, round, from);
  // score.json marks a fully committed round; its content is not read by the planner.
  if (withScore) await writeFile(join(results, round, 'score.json'), '{}\n');
}

async function index(round: string): Promise<void> {
  await commit(round, false);
  await acceptIndex(results, (await signRound(results, round, await devKeyPair('Alice'))).index);
}

describe('planRound', () => {
  it('runs the oldest missing due round first and queues the rest', async () => {
    await index('2026-03-10');
    const plan = await planRound(results, schedule, now);
    expect(plan.stage).toBe('collect');
    expect(plan.round?.id).toBe('2026-03-11');
    expect(plan.queued.map((r) => r.id)).toEqual(['2026-03-12']);
  });

  it('resumes a committed but unsigned round at publish instead of measuring it again', async () => {
    await index('2026-03-10');
    await commit('2026-03-11', true);
    const plan = await planRound(results, schedule, now);
    expect(plan).toMatchObject({ stage: 'publish', round: { id: '2026-03-11' } });
    expect(plan.reason).toMatch(/committed but not in the index: resuming at publish/);
  });

  it('does nothing when the latest due round is indexed', async () => {
    await index('2026-03-12');
    const plan = await planRound(results, schedule, now);
    expect(plan).toMatchObject({ stage: 'none', round: null });
  });

  it("plans a dispatched round with a suffix at its date's cutoff", async () => {
    await index('2026-03-12');
    const plan = await planRound(results, schedule, now, { round: '2026-03-12-rerun' });
    expect(plan).toMatchObject({
      stage: 'collect',
      round: { id: '2026-03-12-rerun', cutoff: '2026-03-12T19:00:00.000Z' },
    });
  });

  it('refuses a dispatched round older than the last indexed one, or not yet due', async () => {
    await index('2026-03-11');
    await expect(planRound(results, schedule, now, { round: '2026-03-10' })).rejects.toThrow(
      /round 2026-03-10 is not newer than the last indexed round 2026-03-11/,
    );
    await expect(planRound(results, schedule, now, { round: '2026-03-13' })).rejects.toThrow(
      /round 2026-03-13 is not due yet: its cutoff is 2026-03-13T19:00:00.000Z/,
    );
    await expect(planRound(results, schedule, now, { round: 'latest' })).rejects.toThrow(
      /not a round id/,
    );
  });
});
