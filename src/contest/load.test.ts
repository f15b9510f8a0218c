import { mkdtemp, mkdir, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../json/errors.js';
import { loadContest, loadContests } from './load.js';

const DEMO = join(import.meta.dirname, '../../contests/sr-x2-demo');

type Json = Record<string, unknown>;

async function demo(): Promise<Json> {
  return JSON.parse(await readFile(join(DEMO, 'contest.json'), 'utf8')) as Json;
}

/** Writes a contest folder named `id` under a fresh `contests/` root; returns the root. */
async function contestsRoot(files: Record<string, string>): Promise<string> {
  const root = join(await mkdtemp(join(tmpdir(), 'podium-contests-')), 'contests');
  for (const [id, text] of Object.entries(files)) {
    await mkdir(join(root, id, 'inputs'), { recursive: true });
    await writeFile(join(root, id, 'contest.json'), text);
  }
  return root;
}

function set(doc: Json, pointer: string, value: unknown): Json {
  const copy = structuredClone(doc);
  const keys = pointer.slice(1).split('/');
  const last = keys.pop() as string;
  let node = copy as Record<string, unknown>;
  for (const k of keys) node = node[k] as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

interface BadCase {
  name: string;
  edit: (doc: Json) => Json | string;
  expected: string[];
}

const CASES: BadCase[] = [
  {
    name: 'malformed JSON',
    edit: (d) => JSON.stringify(d).replace('"title"', '"title",'),
    expected: ['/ is not valid JSON at line 1'],
  },
  {
    name: 'unknown top-level field',
    edit: (d) => ({ ...d, colour: 'blue' }),
    expected: ['/colour is not a known field (got "blue") [additionalProperties]'],
  },
  {
    name: 'unknown nested field',
    edit: (d) => set(d, '/limits/timeout', 5),
    expected: ['/limits/timeout is not a known field (got 5)'],
  },
  {
    name: 'wrong type',
    edit: (d) => set(d, '/limits/loadSeconds', 'fast'),
    expected: ['/limits/loadSeconds must be number (got "fast") [type]'],
  },
  {
    name: 'out-of-range number',
    edit: (d) => set(d, '/limits/loadSeconds', -5),
    expected: ['/limits/loadSeconds must be > 0 (got -5) [exclusiveMinimum]'],
  },
  {
    name: 'non-integer sample count',
    edit: (d) => set(d, '/inputs/samplesPerRound', 2.5),
    expected: ['/inputs/samplesPerRound must be integer (got 2.5)'],
  },
  {
    name: 'unknown scoring strategy',
    edit: (d) => set(d, '/scoring/strategy', 'fastest-wins'),
    expected: [
      '/scoring/strategy must be one of "speed-at-parity", "pareto", "quality-at-budget" (got "fastest-wins") [enum]',
    ],
  },
  {
    name: 'unknown time zone',
    edit: (d) => set(d, '/schedule/timeZone', 'Mars/Olympus_Mons'),
    expected: [
      '/schedule/timeZone must be a valid iana-time-zone (got "Mars/Olympus_Mons") [format]',
    ],
  },
  {
    name: 'sha256 that is not 64 hex characters',
    edit: (d) => set(d, '/baseline/model/sha256', 'abc123'),
    expected: [
      '/baseline/model/sha256 must match pattern "^[0-9a-f]{64}$" (got "abc123") [pattern]',
    ],
  },
  {
    name: 'upper-case sha256',
    edit: (d) => set(d, '/baseline/model/sha256', 'A'.repeat(64)),
    expected: ['/baseline/model/sha256 must match pattern'],
  },
  {
    name: 'http URL',
    edit: (d) => set(d, '/baseline/model/url', 'http://example.com/m.onnx'),
    expected: [
      '/baseline/model/url must match pattern "^(https|file):" (got "http://example.com/m.onnx")',
    ],
  },
  {
    name: 'ftp URL',
    edit: (d) => set(d, '/baseline/model/url', 'ftp://example.com/m.onnx'),
    expected: ['/baseline/model/url must match pattern "^(https|file):"'],
  },
  {
    name: 'missing section',
    edit: (d) => set(d, '/runner', undefined),
    expected: ['/runner is required but missing [required]'],
  },
  {
    name: 'schema of another kind',
    edit: (d) => ({ ...d, $schema: 'https://example.com/other.json' }),
    expected: [
      '/$schema must be https://podium-subnet.github.io/podium/schemas/contest.schema.json',
    ],
  },
  {
    name: 'future file-format version',
    edit: (d) => ({ ...d, version: 2 }),
    expected: ['/version must be 1 (got 2) [const]'],
  },
  {
    name: 'cutoff that is not a time of day',
    edit: (d) => set(d, '/schedule/cutoff', '25:00'),
    expected: ['/schedule/cutoff must match pattern'],
  },
  {
    name: 'weekly cadence without a weekday',
    edit: (d) => set(d, '/schedule/cadence', 'weekly'),
    expected: ['/schedule/weekday is required when cadence is "weekly" [weekly-needs-weekday]'],
  },
  {
    name: 'pareto without objectives',
    edit: (d) => set(d, '/scoring/strategy', 'pareto'),
    expected: ['/scoring/objectives is required when strategy is "pareto"'],
  },
  {
    name: 'unknown input source type',
    edit: (d) => set(d, '/inputs/source', { type: 's3', bucket: 'x' }),
    expected: [
      '/inputs/source/type must be one of "directory", "archive", "prompts", "dataset" (got "s3") [discriminator]',
    ],
  },
  {
    name: 'input folder escaping the contest folder',
    edit: (d) => set(d, '/inputs/source/path', '../other'),
    expected: ['/inputs/source/path must match pattern'],
  },
  {
    name: 'missing input folder',
    edit: (d) => set(d, '/inputs/source/path', 'pictures'),
    expected: [
      '/inputs/source/path must be an existing folder inside the contest folder (got "pictures") [exists]',
    ],
  },
  {
    name: 'archive input source (the benchmark reads only folders yet)',
    edit: (d) =>
      set(d, '/inputs/source', {
        type: 'archive',
        archive: { url: 'https://x.example/in.tar', sha256: 'a'.repeat(64), bytes: 10 },
      }),
    expected: [
      '/inputs/source/type is not supported by the benchmark yet: ship the inputs as image files in a folder of the contest ({"type": "directory", "path": "inputs"}) (got "archive") [benchmark-supports]',
    ],
  },
  {
    name: 'float16 model input (the benchmark feeds float32 or uint8)',
    edit: (d) => set(d, '/baseline/io/inputs/0/elementType', 'float16'),
    expected: [
      '/baseline/io/inputs/0/elementType is not an input type the benchmark can feed (float32, uint8); give the model a float32 input and cast inside the graph (got "float16") [benchmark-supports]',
    ],
  },
  {
    name: 'metric listed twice',
    edit: (d) => ({
      ...d,
      metrics: [
        { name: 'latency', weight: 1 },
        { name: 'latency', weight: 2 },
      ],
    }),
    expected: ['/metrics/1/name appears twice in metrics (got "latency") [unique]'],
  },
  {
    name: 'contest id different from its folder',
    edit: (d) => ({ ...d, id: 'another-contest' }),
    expected: [
      '/id must equal the contest folder name "sr-x2-demo" (got "another-contest") [folder-name]',
    ],
  },
  {
    name: 'a fidelity measure the task does not compute (classification by PSNR)',
    edit: (d) => set(d, '/task', 'image-classification'),
    expected: [
      '/scoring/similarity/measure must be a measure task image-classification computes (cosine, top1) (got "psnr") [task-measure]',
    ],
  },
  {
    name: 'a labelled dataset for a task without labels',
    edit: (d) =>
      set(d, '/inputs/source', {
        type: 'dataset',
        name: 'mnist',
        split: { train: { from: 0, to: 10 }, evaluation: { from: 10, to: 20 } },
      }),
    expected: ['/inputs/source/type task image-super-resolution does not read a labelled dataset'],
  },
  {
    name: 'an objective in the wrong direction for its measure',
    edit: (d) =>
      set(set(d, '/scoring/strategy', 'pareto'), '/scoring/objectives', [
        { metric: 'latency', direction: 'min' },
        { metric: 'flops', direction: 'max' },
      ]),
    expected: [
      '/scoring/objectives/1/direction must be "min" for flops (lower is better) (got "max") [measure-direction]',
    ],
  },
  {
    name: 'FLOPs scored while unknown operators are ignored',
    edit: (d) =>
      set(
        set(set(d, '/scoring/strategy', 'pareto'), '/scoring/objectives', [
          { metric: 'flops', direction: 'min' },
        ]),
        '/limits/unknownOperators',
        'ignore',
      ),
    expected: ['/limits/unknownOperators must be "reject" when FLOPs are scored'],
  },
  {
    name: 'no submission resident beside the baseline',
    edit: (d) => set(d, '/runner/residentSubmissions', 0),
    expected: ['/runner/residentSubmissions must be >= 1 (got 0) [minimum]'],
  },
  {
    name: 'a fractional resident bound',
    edit: (d) => set(d, '/runner/residentSubmissions', 2.5),
    expected: ['/runner/residentSubmissions must be integer (got 2.5)'],
  },
  {
    name: 'several problems at once',
    edit: (d) => set(set(d, '/limits/loadSeconds', 0), '/chain/netuid', 70000),
    expected: [
      '/limits/loadSeconds must be > 0 (got 0)',
      '/chain/netuid must be <= 65535 (got 70000)',
    ],
  },
];

describe('loadContest', () => {
  it('loads the demo contest with defaults filled in and frozen', async () => {
    const { contest, dir } = await loadContest(DEMO);
    expect(contest.id).toBe('sr-x2-demo');
    expect(dir).toBe(DEMO);
    expect(contest.runner.session.enableCpuMemArena).toBe(true);
    expect(contest.runner.residentSubmissions).toBe(8);
    expect(contest.scoring.confidence).toBe(0.95);
    expect(Object.isFrozen(contest.limits)).toBe(true);
    expect(() => {
      (contest.limits as { loadSeconds: number }).loadSeconds = 1;
    }).toThrow(TypeError);
  });

  it('fills a documented default when a field is omitted', async () => {
    const doc = set(await demo(), '/limits/loadSeconds', undefined);
    const root = await contestsRoot({ 'sr-x2-demo': JSON.stringify(doc) });
    const { contest } = await loadContest(join(root, 'sr-x2-demo'));
    expect(contest.limits.loadSeconds).toBe(240);
  });

  describe.each(CASES)('rejects a contest file with $name', ({ edit, expected }) => {
    it('with one precise error per problem naming file, pointer, rule and value', async () => {
      const edited = edit(await demo());
      const text = typeof edited === 'string' ? edited : JSON.stringify(edited, null, 2);
      const root = await contestsRoot({ 'sr-x2-demo': text });
      const file = join(root, 'sr-x2-demo', 'contest.json');
      const error = await loadContest(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DocumentError);
      const message = (error as DocumentError).message;
      for (const line of message.split('\n')) expect(line.startsWith(`${file}: /`)).toBe(true);
      for (const fragment of expected) expect(message).toContain(fragment);
    });
  });

  it('the table covers at least 15 kinds of bad input', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
  });
});

describe('loadContests', () => {
  it('rejects duplicate contest ids and loads nothing', async () => {
    const doc = await demo();
    const root = await contestsRoot({ 'sr-x2-demo': JSON.stringify(doc) });
    // A second folder whose contest claims the same id (folder-name rule only applies under contests/).
    await cp(join(root, 'sr-x2-demo'), join(root, 'copy'), { recursive: true });
    const error = await loadContests(root).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AggregateError);
    const text = (error as AggregateError).message;
    expect(text).toContain('/id must equal the contest folder name "copy"');
  });

  it('reports a duplicate id even when folder names are not checked', async () => {
    const doc = await demo();
    const dir = await mkdtemp(join(tmpdir(), 'podium-flat-'));
    for (const name of ['a', 'b']) {
      await mkdir(join(dir, name, 'inputs'), { recursive: true });
      await writeFile(join(dir, name, 'contest.json'), JSON.stringify(doc));
    }
    const error = await loadContests(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as AggregateError).message).toContain(
      `${join(dir, 'b', 'contest.json')}: /id is already used by ${join(dir, 'a', 'contest.json')} (got "sr-x2-demo") [unique]`,
    );
  });

  it('loads every contest in the repository', async () => {
    const all = await loadContests(join(import.meta.dirname, '../../contests'));
    expect(all.map((c) => c.contest.id)).toContain('sr-x2-demo');
  });
});
