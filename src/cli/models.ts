/** `podium models [--out <dir>] [--check]`: builds the demo/test ONNX models into the cache. */
import type { Command } from 'commander';
import { buildModels, checkModels, manifestPath, modelsDir } from '../models/build.js';
import type { ModelsManifest } from '../models/schema.js';
import { CliError } from './errors.js';

/** Registers `models` on the program. */
export function register(program: Command): void {
  program
    .command('models')
    .description(
      'build the baseline and variant ONNX models (from the TF.js sources) into the cache',
    )
    .option('--out <dir>', 'output folder (default: $PODIUM_CACHE_DIR/models or .cache/models)')
    .option(
      '--check',
      'build in memory and compare with the folder; write nothing, exit 1 on any difference',
    )
    .action(async (opts: { out?: string; check?: boolean }) => {
      const dir = opts.out ?? modelsDir();
      if (opts.check) {
        const problems = await checkModels(dir);
        for (const p of problems) console.error(p);
        if (problems.length > 0)
          throw new CliError(`${dir}: models are not current (run podium models)`);
        console.log(`ok    ${manifestPath(dir)}: every model matches a fresh build`);
        return;
      }
      const manifest = await buildModels(dir);
      console.log(formatTable(manifest));
      console.log(`wrote ${manifestPath(dir)}`);
    });
}

/** Returns the manifest as a table: name, sha256, bytes, role. */
export function formatTable(manifest: ModelsManifest): string {
  const rows = [
    ['name', 'sha256', 'bytes', 'role'],
    ...manifest.models.map((m) => [m.name, m.sha256, String(m.bytes), m.role]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 2 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
