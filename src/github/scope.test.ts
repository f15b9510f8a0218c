import { describe, expect, it } from 'vitest';
import { classifyChanges, MAX_ENTRY_FILES } from './scope.js';
import { escapeMarkdown, inline } from './comment.js';
import { isPrivateAddress, refusedTarget } from './probe.js';

const A = 'contests/sr-x2-demo/entries/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.json';
const B = 'contests/sr-x2-demo/entries/5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty.json';

function failed(files: Parameters<typeof classifyChanges>[0]) {
  return classifyChanges(files)
    .checks.filter((c) => c.status === 'fail')
    .map((c) => `${c.id}: ${c.detail}`);
}

describe('what an entry PR may change', () => {
  it('accepts added and modified entry files', () => {
    const scope = classifyChanges([
      { filename: B, status: 'modified' },
      { filename: A, status: 'added' },
    ]);
    expect(scope.entryPaths).toEqual([B, A].sort());
    expect(scope.checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it('rejects a PR touching .github/ or src/, naming each file', () => {
    expect(
      failed([
        { filename: A, status: 'added' },
        { filename: '.github/workflows/entry.yml', status: 'modified' },
        { filename: 'src/github/entry-check.ts', status: 'modified' },
      ]),
    ).toEqual([
      'scope: changes .github/workflows/entry.yml, which is not an entry file\n' +
        'changes src/github/entry-check.ts, which is not an entry file',
    ]);
  });

  it('rejects removing or renaming an entry, and files in sub-folders of entries/', () => {
    expect(
      failed([
        { filename: A, status: 'removed' },
        { filename: B, status: 'renamed', previous_filename: A.replace('5Grw', '5Xyz') },
        { filename: 'contests/sr-x2-demo/entries/x/y.json', status: 'added' },
      ]),
    ).toEqual([
      'scope: changes contests/sr-x2-demo/entries/x/y.json, which is not an entry file\n' +
        `removes ${A}\nremoves ${A.replace('5Grw', '5Xyz')} (renamed to ${B})`,
    ]);
  });

  it('rejects two entries for one hotkey, an empty PR and too many entries', () => {
    expect(
      failed([
        { filename: A, status: 'added' },
        { filename: A.replace('sr-x2-demo', 'other'), status: 'added' },
      ]),
    ).toEqual([
      `one-per-hotkey: 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY has 2 entries: ${A.replace('sr-x2-demo', 'other')}, ${A}`,
    ]);
    expect(failed([])).toEqual(['count: no entry file is added or changed']);
    const many = Array.from({ length: MAX_ENTRY_FILES + 1 }, (_, i) => ({
      filename: `contests/c/entries/k${String(i).padStart(2, '0')}.json`,
      status: 'added',
    }));
    expect(failed(many)).toEqual([
      `count: ${MAX_ENTRY_FILES + 1} entry files; only the first ${MAX_ENTRY_FILES} were checked`,
    ]);
    expect(classifyChanges(many).entryPaths).toHaveLength(MAX_ENTRY_FILES);
  });
});

describe('comment text from the PR', () => {
  it('cannot carry HTML, links, images or mentions', () => {
    const text = escapeMarkdown(
      '<script>x</script> ![i](https://e/x.png) [l](http://e) @org/team #1',
    );
    expect(text).not.toMatch(/<|[^\\]\]\(|@org|https:\/\//); // an escaped \] closes no link
    expect(inline('run `podium commit --x` now <b>')).toBe('run `podium commit --x` now &lt;b&gt;');
  });
});

describe('which hosts the URL probe will contact', () => {
  it('refuses loopback, private, link-local and non-https targets', async () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '100.64.0.1',
      '0.0.0.0',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '2606:4700::1111'])
      expect(isPrivateAddress(a), a).toBe(false);
    expect(await refusedTarget('https://169.254.169.254/metadata', false)).toMatch(
      /non-public address/,
    );
    expect(await refusedTarget('https://[::1]:8443/m.onnx', false)).toMatch(
      /non-public address \(::1\)/,
    );
    expect(await refusedTarget('https://localhost/m.onnx', false)).toMatch(/non-public address/);
    expect(await refusedTarget('http://example.org/m.onnx', false)).toBe(
      'not https: http://example.org/m.onnx',
    );
    expect(await refusedTarget('https://127.0.0.1/m.onnx', true)).toBeNull();
  });
});
