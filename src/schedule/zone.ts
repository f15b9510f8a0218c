/**
 * Wall-clock arithmetic in IANA time zones with nothing but `Intl`: the local date and time of an
 * instant, and the instant of a local date and time. DST is handled like Temporal's
 * `disambiguation: "compatible"`: a local time that does not exist (spring-forward gap) moves
 * forward by the length of the gap, and a local time that happens twice (fall-back overlap) is
 * the earlier of the two instants.
 */

/** A calendar date `YYYY-MM-DD` and a time of day, as a clock on the wall in some zone shows them. */
export interface WallClock {
  readonly date: string;
  readonly hour: number;
  readonly minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local year, month, day, hour, minute, second of `instantMs` in `timeZone`. */
function fields(instantMs: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out;
}

/** The wall clock in `timeZone` at `instantMs`. Throws RangeError for an unknown zone. */
export function wallClock(instantMs: number, timeZone: string): WallClock {
  const f = fields(instantMs, timeZone);
  const date = formatDate(f.year ?? 0, f.month ?? 1, f.day ?? 1);
  return {
    date,
    hour: f.hour ?? 0,
    minute: f.minute ?? 0,
    weekday: new Date(`${date}T00:00:00Z`).getUTCDay(),
  };
}

/** Minutes the zone is ahead of UTC at `instantMs` (e.g. -480 for PST, 330 for India). */
export function offsetMinutes(instantMs: number, timeZone: string): number {
  const f = fields(instantMs, timeZone);
  const asUtc = Date.UTC(
    f.year ?? 0,
    (f.month ?? 1) - 1,
    f.day ?? 1,
    f.hour ?? 0,
    f.minute ?? 0,
    f.second ?? 0,
  );
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return Math.round((asUtc - wholeSeconds) / 60_000);
}

/**
 * The UTC instant (ms) at which the wall clock in `timeZone` shows `date` `hour:minute`.
 * In a spring-forward gap the result is shifted later by the gap; in a fall-back overlap it is
 * the earlier instant. Throws RangeError for a malformed date or an unknown zone.
 */
export function zonedInstant(date: string, hour: number, minute: number, timeZone: string): number {
  const naive = Date.parse(`${date}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(naive) || addDays(date, 0) !== date) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  }
  // The offsets in force a day either side bracket any transition near this local time.
  const before = offsetMinutes(naive - 86_400_000, timeZone);
  const after = offsetMinutes(naive + 86_400_000, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => naive - offset * 60_000)
    .filter((instant) => {
      const w = wallClock(instant, timeZone);
      return w.date === date && w.hour === hour && w.minute === minute;
    })
    .sort((a, b) => a - b);
  // Gap: no candidate shows the time; use the offset from before the transition (moves later).
  return candidates[0] ?? naive - before * 60_000;
}

/** `date` plus `days` calendar days (negative moves back). */
export function addDays(date: string, days: number): string {
  const t = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
