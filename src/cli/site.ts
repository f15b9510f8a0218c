/**
 * `podium site <results…> --out <dir>`: builds the static results site. The site is always
 * written; exit 1 when the results hold something the operator must fix (each problem is printed
 * naming its file, and shown on the page it concerns), 2 for a usage error.
 */
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { buildSite, SiteOutError } from '../site/build.js';
import { serveSite } from '../site/serve.js';
import { CliError, UsageError } from './errors.js';
import { trustedValidator } from './validator-arg.js';

interface SiteFlags {
  out: string;
  contests: string;
  validator?: string;
  config?: string;
  pending: string[];
  serve?: string | boolean;
}

/** Registers `site` on the program. */
export function register(program: Command): void {
  program
    .command('site')
    .description(
      'build the static results site, verifiable in the browser, from results/<contest> folders',
    )
    .argument('<results...>', 'contest results folders, e.g. results/sr-x2-demo')
    .requiredOption('--out <dir>', 'folder to write the site into (emptied first)')
    .option('--contests <dir>', 'contest folders (definitions, score re-run)', 'contests')
    .option(
      '--validator <ss58>',
      'the validator hotkey every index entry must be signed by (default: podium.json /validator/hotkey)',
    )
    .option('--config <file>', "the repository's podium.json naming the validator")
    .option(
      '--pending <contest/round>',
      'a round the current run is writing (its score may lack an index entry); repeatable',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--serve [port]', 'then serve the site on 127.0.0.1 until interrupted')
    .action(async (dirs: string[], flags: SiteFlags) => {
      for (const dir of dirs) {
        const info = await stat(dir).catch(() => undefined);
        if (!info?.isDirectory()) throw new UsageError(`${dir}: not a results folder`);
      }
      const trusted = await trustedValidator(flags.validator, flags.config);
      for (const p of flags.pending) {
        if (!/^[a-z0-9][a-z0-9-]*\/[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)?$/.test(p)) {
          throw new UsageError(
            `--pending ${p}: expected <contest>/<round>, e.g. sr-x2-demo/2026-03-12`,
          );
        }
      }
      const built = await buildSite(dirs, flags.out, {
        contestsRoot: flags.contests,
        ...trusted,
        pending: flags.pending,
      }).catch((err: unknown) => {
        if (err instanceof SiteOutError) throw new UsageError(err.message);
        throw err;
      });
      console.log(
        `site: ${built.out}: ${built.pages.length} page(s), ${built.contests.length} contest(s), ` +
          `${(built.bytes / 1024).toFixed(0)} KiB`,
      );
      for (const p of built.problems) console.error(p);
      if (flags.serve !== undefined) {
        const server = await serveSite(built.out, flags.serve === true ? 0 : Number(flags.serve));
        console.log(`serving ${built.out} at ${server.url} (Ctrl-C to stop)`);
        await new Promise<void>((resolve) => process.once('SIGINT', resolve));
        await server.close();
      }
      if (built.problems.length > 0) {
        throw new CliError(
          `${built.out}: site written, but ${built.problems.length} problem(s) above must be fixed in the results`,
        );
      }
    });
}
