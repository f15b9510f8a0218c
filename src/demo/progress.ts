/** Step-by-step progress for long demo steps: a numbered line per step, a heartbeat while it runs. */

/** Runs `work` as step `n` of `total`, printing its title, a heartbeat every 10 s, and its time. */
export async function step<T>(
  n: number,
  total: number,
  title: string,
  work: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const prefix = `[${String(n).padStart(2)}/${total}]`;
  console.log(`${prefix} ${title} …`);
  const beat = setInterval(() => {
    console.log(`${prefix}   … still working (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 10_000);
  try {
    const result = await work();
    console.log(`${prefix} ${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } finally {
    clearInterval(beat);
  }
}
