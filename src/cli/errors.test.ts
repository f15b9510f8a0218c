/**
 * The CLI's error boundary, through the real `podium` binary: an ordinary mistake is one line on
 * stderr naming what was wrong and what to do, with no stack trace unless `--debug` is given;
 * `--contest` takes a folder or an id in every command, with one error for neither.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const PODIUM = resolve('bin/podium.js');
const NEITHER =
  /^--contest nope: neither a contest folder nor a contest id under contests\/ \(ids there: digits-pipeline-demo, mnist-nas-demo, mnist-throughput-demo, sr-truth-demo, sr-x2-demo\); give a folder holding contest\.json, e\.g\. --contest contests\/<id>, or an id$/;

/** Runs `podium args…` in the repository root; resolves with exit code and output. */
async function podium(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [PODIUM, ...args], {
      env: { ...process.env, PODIUM_HOTKEY_SEED: '', PODIUM_DEBUG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe('user errors are one line without a stack', () => {
  it.each([
    [['bench', '--contest', 'nope', '--model', 'm.onnx'], NEITHER],
    [
      ['results', 'plan', 'nope'],
      /^contest nope: neither a contest folder nor a contest id under contests\//,
    ],
    [
      ['bench', '--contest', 'sr-x2-demo', '--model', 'm.onnx', '--ca', '/no/such/ca.pem'],
      /^--ca \/no\/such\/ca\.pem: cannot read it \(ENOENT\); give the PEM file of the certificate authority/,
    ],
    [
      ['models', '--out', 'package.json/x'],
      /^package\.json\/x: a part of this path is a file, not a folder \(ENOTDIR\); check the path/,
    ],
  ])('podium %j', async (args, expected) => {
    const r = await podium(...args);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(expected);
  });

  it('prints the stack too with --debug', async () => {
    const r = await podium('--debug', 'models', '--out', 'package.json/x');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^package\.json\/x: a part of this path is a file/);
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});

describe('--contest takes a folder or an id', () => {
  it('commit, entry create, doctor and bench accept an id and a folder alike, and refuse neither', async () => {
    const accepted = await Promise.all([
      podium('commit', '--contest', 'sr-x2-demo', '--sha256', 'abc'),
      podium('commit', '--contest', './contests/sr-x2-demo/', '--sha256', 'abc'),
      podium('bench', '--contest', 'sr-x2-demo', '--model', '/no/m.onnx', '--quiet'),
    ]);
    for (const commit of accepted.slice(0, 2)) {
      expect(commit.code).toBe(2); // past the contest: its id formats the commitment
      expect(oneLine(commit.stderr)).toMatch(/sha256 must be 64 lower-case hex/);
    }
    expect(oneLine(accepted[2]!.stderr)).toContain('/no/m.onnx: no such file');
    const refused = await Promise.all(
      [
        ['commit', '--contest', 'nope', '--sha256', 'a'.repeat(64)],
        ['entry', 'create', '--contest', 'nope', '--model', 'm.onnx', '--url', 'https://x.org/m'],
        ['doctor', '--contest', 'nope'],
      ].map((args) => podium(...args)),
    );
    for (const r of refused) {
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toMatch(NEITHER);
    }
  }, 180_000);
});
