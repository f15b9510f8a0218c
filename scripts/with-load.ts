/**
 * `npm run with-load -- [--procs N] <command…>`: runs a command while N (default 4) CPU-bound
 * competitor processes keep the machine busy, then stops them — also when the command fails or
 * on Ctrl-C — and prints the command's wall time. For checking that podium holds under load
 * (e.g. `npm run with-load -- npm run demo`). Exits with the command's exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const BUSY = 'for (;;) {}';

function parse(argv: string[]): { procs: number; command: string[] } {
  let procs = 4;
  const rest = [...argv];
  if (rest[0] === '--procs') {
    procs = Number(rest[1]);
    rest.splice(0, 2);
  }
  if (rest[0] === '--') rest.shift();
  if (!Number.isInteger(procs) || procs < 0 || rest.length === 0) {
    console.error('usage: npm run with-load -- [--procs N] <command…>   (N ≥ 0, default 4)');
    process.exit(2);
  }
  return { procs, command: rest };
}

const { procs, command } = parse(process.argv.slice(2));
const competitors: ChildProcess[] = Array.from({ length: procs }, () =>
  spawn(process.execPath, ['-e', BUSY], { stdio: 'ignore' }),
);
let stopped = false;
function stopCompetitors(): void {
  if (stopped) return;
  stopped = true;
  for (const c of competitors) if (c.exitCode === null) c.kill('SIGKILL');
}
process.on('exit', stopCompetitors);

const started = process.hrtime.bigint();
const [file, ...args] = command as [string, ...string[]];
const child = spawn(file, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    child.kill(signal);
    stopCompetitors();
  });
}
const code = await new Promise<number>((resolve) => {
  child.on('error', (err) => {
    console.error(`with-load: cannot run ${file}: ${err.message}`);
    resolve(127);
  });
  child.on('exit', (exit, signal) => resolve(exit ?? (signal ? 128 : 1)));
});
stopCompetitors();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.error(
  `with-load: "${command.join(' ')}" took ${seconds.toFixed(1)} s wall with ${procs} competing ` +
    `CPU-bound process(es); exit code ${code}`,
);
process.exitCode = code;
