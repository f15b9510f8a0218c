import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDocument } from '../json/file.js';
import { checkScore } from '../score/files.js';
import { CONTEST_ID, DEV_HOTKEYS as H, writeTestRound } from '../score/testing.js';
import { CliError } from './errors.js';
import { main } from './main.js';
import { runScore } from './score.js';
import { ScoreSchema } from '../documents/score.js';

let root: string;
let roundDir: string;
const contests = () => join(root, 'contests');
const results = () => join(root, 'results', CONTEST_ID);

const fixture = (id?: string) => writeTestRound(root, id);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-score-'));
  roundDir = await fixture();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const log: string[] = [];
const quiet = (line: string) => log.push(line);

describe('podium score', () => {
  it('writes a schema-valid score.json that --check then accepts', async () => {
    await runScore(roundDir, { contestsRoot: contests() }, false, quiet);
    const doc = await readDocument(join(roundDir, 'score.json'), ScoreSchema);
    expect(doc.weights.u16).toEqual({ [H.alice]: 65535, [H.bob]: 0 });
    expect(log.at(-1)).toContain(`2 submission(s), 2 valid, 1 earning; first ${H.alice} (uid 1)`);
    await expect(checkScore(roundDir, { contestsRoot: contests() })).resolves.toMatchObject({
      ok: true,
      file: join(roundDir, 'score.json'),
    });
  });

  it('--check detects a one-byte edit and names the first differing JSON pointer', async () => {
    await runScore(roundDir, { contestsRoot: contests() }, false, quiet);
    const file = join(roundDir, 'score.json');
    const text = await readFile(file, 'utf8');
    const at = text.indexOf('65535', text.indexOf('"u16"'));
    await writeFile(file, `${text.slice(0, at + 4)}4${text.slice(at + 5)}`);
    const edited = await readFile(file, 'utf8');
    expect([...edited].filter((ch, i) => ch !== text[i]).length).toBe(1);
    await expect(runScore(roundDir, { contestsRoot: contests() }, true, quiet)).rejects.toThrow(
      new CliError(
        `${file}: /weights/u16/${H.alice} differs from the recomputed score (committed 65534, recomputed 65535)`,
      ),
    );
    const code = await main(['score', '--round', roundDir, '--contests', contests(), '--check']);
    expect(code).toBe(1);
  });

  it('--check reports a file that is no longer JSON, or only formatted differently', async () => {
    await runScore(roundDir, { contestsRoot: contests() }, false, quiet);
    const file = join(roundDir, 'score.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('{', '['));
    await expect(runScore(roundDir, { contestsRoot: contests() }, true, quiet)).rejects.toThrow(
      /score\.json: \/ is not valid JSON/,
    );
    await writeFile(file, text.replace('\n', ' \n'));
    await expect(runScore(roundDir, { contestsRoot: contests() }, true, quiet)).rejects.toThrow(
      `${file}: / has the same values but not the canonical formatting`,
    );
  });

  it('reads earlier rounds from sibling folders, or only those index.json lists', async () => {
    const earlier = await fixture('2025-02-28');
    await runScore(earlier, { contestsRoot: contests() }, false, quiet);
    const previous = await readDocument(join(earlier, 'score.json'), ScoreSchema);
    expect(previous.weights.shares).toEqual({ [H.alice]: 1 });
    await runScore(roundDir, { contestsRoot: contests() }, false, quiet);
    let doc = await readDocument(join(roundDir, 'score.json'), ScoreSchema);
    expect(doc.weights.rounds).toEqual(['2025-03-01', '2025-02-28']);
    await writeFile(
      join(results(), 'index.json'),
      JSON.stringify({ entries: [{ round: '2025-03-01' }] }),
    );
    await runScore(roundDir, { contestsRoot: contests() }, false, quiet);
    doc = await readDocument(join(roundDir, 'score.json'), ScoreSchema);
    expect(doc.weights.rounds).toEqual(['2025-03-01']);
    await rm(join(results(), 'index.json'));
    await mkdir(join(root, 'elsewhere'));
    const args = ['score', '--round', roundDir, '--contests', contests()];
    expect(await main([...args, '--history', join(root, 'elsewhere')])).toBe(0);
    doc = await readDocument(join(roundDir, 'score.json'), ScoreSchema);
    expect(doc.weights.rounds).toEqual(['2025-03-01']);
  });

  it('refuses a contest file that is not the one the round froze', async () => {
    const file = join(contests(), CONTEST_ID, 'contest.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"title": "Scoring test contest"', '"title": "Renamed"'));
    await expect(runScore(roundDir, { contestsRoot: contests() }, false, quiet)).rejects.toThrow(
      /contest\.json: sha256 [0-9a-f]{64} is not the contest file round 2025-03-01 froze/,
    );
  });

  it('says which file is missing when the folder is not a round', async () => {
    await expect(
      runScore(join(root, 'nowhere'), { contestsRoot: contests() }, false, quiet),
    ).rejects.toThrow(
      new CliError(
        `${join(root, 'nowhere', 'round.json')}: no such file (is ${join(root, 'nowhere')} a round folder?)`,
      ),
    );
  });
});
