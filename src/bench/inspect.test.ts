import { create } from '@bufbuild/protobuf';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataLocation,
} from 'onnx-buf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedContest } from '../contest/load.js';
import { modelPath } from '../models/build.js';
import { inspectModel } from './inspect.js';
import { tempContest } from './testing/contest.js';
import { chainModel, floatInfo, floats, model, op, scaleModel } from './testing/models.js';

let loaded: LoadedContest;
beforeAll(async () => {
  loaded = await tempContest();
});

async function write(bytes: Uint8Array): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'podium-inspect-')), 'model.onnx');
  await writeFile(file, bytes);
  return file;
}

const io = {
  inputs: [floatInfo('LR', [1, 'height', 'width', 3])],
  outputs: [floatInfo('SR', [1, 'h2', 'w2', 3])],
};

describe('inspectModel', () => {
  it('records opset, operator histogram, parameters and a weights hash for a good model', async () => {
    const { report, reasons } = await inspectModel(await write(scaleModel(2)), loaded.contest);
    expect(reasons).toEqual([]);
    expect(report).toMatchObject({ opset: 17, ops: { 'ai.onnx:Mul': 1 }, parameters: 1 });
    expect(report?.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report?.inputs).toEqual([
      { name: 'LR', elementType: 'float32', shape: [1, 'height', 'width', 3] },
    ]);
  });

  it('gives the same weights hash whatever the initializers are named or how they are stored', async () => {
    const a = scaleModel(3);
    const raw = model({
      nodes: [op('Mul', ['LR', 'renamed'], ['SR'])],
      ...io,
      initializers: [
        { ...floats('renamed', [1], []), rawData: new Uint8Array(Float32Array.of(3).buffer) },
      ],
    });
    const ra = await inspectModel(await write(a), loaded.contest);
    const rb = await inspectModel(await write(raw), loaded.contest);
    expect(rb.report?.weightsSha256).toBe(ra.report?.weightsSha256);
  });

  it('rejects the truncated demo model and bytes that are not ONNX', async () => {
    const truncated = await inspectModel(modelPath('corrupt-truncated'), loaded.contest);
    expect(truncated.report).toBeNull();
    expect(truncated.reasons.map((r) => r.code)).toEqual(['truncated']);
    const noise = await inspectModel(
      await write(new TextEncoder().encode('hello, not a model')),
      loaded.contest,
    );
    expect(noise.reasons.map((r) => r.code)).toEqual(['not-onnx']);
  });

  it('rejects the custom-op demo model for its operator domain', async () => {
    const { reasons, report } = await inspectModel(modelPath('custom-op'), loaded.contest);
    expect(reasons).toEqual([
      {
        code: 'operator-domain',
        message: expect.stringContaining('com.example.fast:FusedUpsample'),
      },
    ]);
    expect(report?.ops['com.example.fast:FusedUpsample']).toBe(1);
  });

  it('rejects operators outside an explicit op list', async () => {
    const strict = await tempContest((c) => {
      (c.limits as Record<string, unknown>).operators = { domains: [''], ops: ['Add'] };
    });
    const { reasons } = await inspectModel(await write(scaleModel()), strict.contest);
    expect(reasons).toEqual([
      { code: 'operator-not-allowed', message: expect.stringContaining('ai.onnx:Mul') },
    ]);
  });

  it('rejects IO names, element types and ranks that differ from the baseline', async () => {
    const renamed = model({
      nodes: [op('Identity', ['x'], ['SR'])],
      inputs: [floatInfo('x', [1, 'h', 'w', 3])],
      outputs: io.outputs,
    });
    const rank = model({
      nodes: [op('Identity', ['LR'], ['SR'])],
      inputs: [floatInfo('LR', [1, 'h', 'w'])],
      outputs: io.outputs,
    });
    const fixed = model({
      nodes: [op('Identity', ['LR'], ['SR'])],
      inputs: [floatInfo('LR', [2, 'h', 'w', 3])],
      outputs: io.outputs,
    });
    for (const [bytes, text] of [
      [renamed, 'inputs are [x]'],
      [rank, 'rank 3 instead of 4'],
      [fixed, 'dimension 0 is 2 instead of 1'],
    ] as const) {
      const { reasons } = await inspectModel(await write(bytes), loaded.contest);
      expect(reasons).toEqual([{ code: 'io-mismatch', message: expect.stringContaining(text) }]);
    }
  });

  it('counts Constant-node tensors as parameters against the contest limit', async () => {
    const constant = create(AttributeProtoSchema, {
      name: 'value',
      type: AttributeProto_AttributeType.TENSOR,
      t: floats('', [2000], new Array(2000).fill(0.5)),
    });
    const bytes = model({
      nodes: [
        { ...op('Constant', [], ['c']), attribute: [constant] },
        op('Mul', ['LR', 'k'], ['SR']),
      ],
      ...io,
      initializers: [floats('k', [1], [1])],
    });
    const limited = await tempContest((c) => {
      (c.limits as Record<string, unknown>).parameters = 1000;
    });
    const { reasons, report } = await inspectModel(await write(bytes), limited.contest);
    expect(report?.parameters).toBe(2001);
    expect(reasons).toEqual([
      { code: 'too-many-parameters', message: expect.stringContaining('2001') },
    ]);
  });

  it('rejects external data that is absolute, climbs out, or is a symlink leaving the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-ext-'));
    await symlink('/etc/hostname', join(dir, 'link.bin'));
    await writeFile(join(dir, 'inside.bin'), new Uint8Array(4));
    const external = (location: string) => {
      const t = floats('k', [1], []);
      t.dataLocation = TensorProto_DataLocation.EXTERNAL;
      t.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: location })];
      return model({ nodes: [op('Mul', ['LR', 'k'], ['SR'])], ...io, initializers: [t] });
    };
    const cases: [string, string | null][] = [
      ['/etc/passwd', 'absolute'],
      ['../secret.bin', '".."'],
      ['link.bin', 'outside'],
      ['missing.bin', 'does not exist'],
      ['inside.bin', null],
    ];
    for (const [location, problem] of cases) {
      const file = join(dir, 'model.onnx');
      await writeFile(file, external(location));
      const { reasons } = await inspectModel(file, loaded.contest);
      if (problem === null) expect(reasons).toEqual([]);
      else
        expect(reasons).toEqual([
          { code: 'external-data', message: expect.stringContaining(problem) },
        ]);
    }
  });

  it('rejects external data whose offset or length reach past the end of the real file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-extent-'));
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(16)); // room for 4 floats
    const external = (entries: Record<string, string>) => {
      const t = floats('k', [4], []);
      t.dataLocation = TensorProto_DataLocation.EXTERNAL;
      t.externalData = Object.entries({ location: 'weights.bin', ...entries }).map(([key, value]) =>
        create(StringStringEntryProtoSchema, { key, value }),
      );
      return model({ nodes: [op('Mul', ['LR', 'k'], ['SR'])], ...io, initializers: [t] });
    };
    const cases: [Record<string, string>, string | null][] = [
      [{ offset: '0', length: '16' }, null],
      [{}, null],
      [{ offset: '4' }, 'reaches byte 20 (offset 4), past the end of the 16-byte file'],
      [{ offset: '4096', length: '16' }, 'past the end of the 16-byte file'],
      [{ offset: '0', length: '8' }, 'has length 8, but its 4 elements take 16 bytes'],
      [{ offset: '-4' }, 'has offset "-4", not a non-negative integer'],
      [{ offset: '0x10' }, 'not a non-negative integer'],
    ];
    for (const [entries, problem] of cases) {
      const file = join(dir, 'model.onnx');
      await writeFile(file, external(entries));
      const { reasons } = await inspectModel(file, loaded.contest);
      if (problem === null) expect(reasons).toEqual([]);
      else
        expect(reasons).toEqual([
          { code: 'external-data', message: expect.stringContaining(problem) },
        ]);
    }
  });

  it('refuses a graph-size bomb of 300,000 trivial nodes inside the byte cap before decoding it', async () => {
    const bomb = chainModel(300_000);
    expect(bomb.length).toBeLessThan(loaded.contest.limits.artifactBytes);
    const { report, reasons } = await inspectModel(await write(bomb), loaded.contest);
    expect(report).toBeNull();
    expect(reasons).toEqual([
      {
        code: 'too-many-nodes',
        message: '300000 nodes, over the limit of 50000 (limits.graph.nodes)',
      },
    ]);
  });

  it('refuses too many initializers and too long a chain of nodes, naming the limit', async () => {
    const strict = await tempContest((c) => {
      (c.limits as Record<string, unknown>).graph = { depth: 1000, initializers: 100 };
    });
    const deep = await inspectModel(await write(chainModel(1500)), strict.contest);
    expect(deep.reasons).toEqual([
      {
        code: 'graph-too-deep',
        message: 'a chain of 1500 nodes, over the limit of 1000 (limits.graph.depth)',
      },
    ]);
    const stored = await inspectModel(await write(chainModel(1, 250)), strict.contest);
    expect(stored.reasons).toEqual([
      {
        code: 'too-many-initializers',
        message: '250 initializers, over the limit of 100 (limits.graph.initializers)',
      },
    ]);
    const fine = await inspectModel(await write(chainModel(1000, 100)), strict.contest);
    expect(fine.reasons).toEqual([]);
  });

  it('refuses subgraphs nested 40 deep without recursing into them', async () => {
    let branch = create(GraphProtoSchema, { name: 'leaf', node: [op('Identity', ['LR'], ['y'])] });
    for (let i = 0; i < 40; i++) {
      const attr = create(AttributeProtoSchema, {
        name: 'then_branch',
        type: AttributeProto_AttributeType.GRAPH,
        g: branch,
      });
      branch = create(GraphProtoSchema, {
        name: `g${i}`,
        node: [{ ...op('If', ['c'], ['y']), attribute: [attr] }],
      });
    }
    const bytes = model({ nodes: [...branch.node, op('Identity', ['LR'], ['SR'])], ...io });
    const { report, reasons } = await inspectModel(await write(bytes), loaded.contest);
    expect(report).toBeNull();
    expect(reasons).toEqual([
      {
        code: 'graph-too-deep',
        message: '41 levels of nested subgraphs, over the limit of 32 (fixed)',
      },
    ]);
  });

  it('lets the real demo models through the default graph limits', async () => {
    for (const name of ['esrgan-medium-x2', 'esrgan-slim-x2', 'esrgan-medium-x2-fp16'] as const) {
      const { reasons } = await inspectModel(modelPath(name), loaded.contest);
      expect(reasons).toEqual([]);
    }
  });

  it('rejects a file over the contest size limit', async () => {
    const small = await tempContest((c) => {
      (c.limits as Record<string, unknown>).artifactBytes = 100;
      (
        (c.baseline as Record<string, Record<string, unknown>>).model as Record<string, unknown>
      ).bytes = 50;
    });
    const { reasons } = await inspectModel(modelPath('esrgan-slim-x2'), small.contest);
    expect(reasons[0]).toMatchObject({ code: 'too-large' });
  });
});
