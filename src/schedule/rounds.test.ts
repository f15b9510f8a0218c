import { describe, expect, it } from 'vitest';
import {
  cutoffInstant,
  latestDueRound,
  missingRounds,
  ScheduleError,
  type Schedule,
} from './rounds.js';
import { offsetMinutes, wallClock, zonedInstant } from './zone.js';

const la: Schedule = { cadence: 'daily', cutoff: '12:00', timeZone: 'America/Los_Angeles' };
const at = (iso: string) => new Date(iso);

describe('cutoff instants across DST (America/Los_Angeles, 2026)', () => {
  it('moves the UTC cutoff by one hour across the March spring-forward', () => {
    expect(cutoffInstant(la, '2026-03-07')).toBe('2026-03-07T20:00:00.000Z'); // PST, UTC-8
    expect(cutoffInstant(la, '2026-03-08')).toBe('2026-03-08T19:00:00.000Z'); // PDT, UTC-7
  });

  it('moves it back across the November fall-back', () => {
    expect(cutoffInstant(la, '2026-10-31')).toBe('2026-10-31T19:00:00.000Z');
    expect(cutoffInstant(la, '2026-11-01')).toBe('2026-11-01T20:00:00.000Z');
  });

  it('shifts a cutoff inside the spring-forward gap later by the gap', () => {
    // 02:30 does not exist on 2026-03-08: clocks jump from 02:00 PST to 03:00 PDT.
    const s = { ...la, cutoff: '02:30' };
    expect(cutoffInstant(s, '2026-03-08')).toBe('2026-03-08T10:30:00.000Z'); // 03:30 PDT
  });

  it('takes the earlier instant for a cutoff inside the fall-back overlap', () => {
    // 01:30 happens twice on 2026-11-01: first at PDT (08:30Z), then at PST (09:30Z).
    const s = { ...la, cutoff: '01:30' };
    expect(cutoffInstant(s, '2026-11-01')).toBe('2026-11-01T08:30:00.000Z');
  });
});

describe('cutoff instants in half-hour zones', () => {
  it('uses +05:30 in Asia/Kolkata and names the round by the local date', () => {
    const s: Schedule = { cadence: 'daily', cutoff: '02:00', timeZone: 'Asia/Kolkata' };
    // 02:00 IST on the 10th is 20:30 UTC on the 9th; the round is still "2026-03-10".
    expect(cutoffInstant(s, '2026-03-10')).toBe('2026-03-09T20:30:00.000Z');
    expect(latestDueRound(s, at('2026-03-09T20:30:00Z'))?.id).toBe('2026-03-10');
    expect(latestDueRound(s, at('2026-03-09T20:29:59Z'))?.id).toBe('2026-03-09');
  });

  it('follows Australia/Adelaide between +10:30 and +09:30', () => {
    const s: Schedule = { cadence: 'daily', cutoff: '12:00', timeZone: 'Australia/Adelaide' };
    expect(cutoffInstant(s, '2026-04-04')).toBe('2026-04-04T01:30:00.000Z'); // ACDT
    expect(cutoffInstant(s, '2026-04-05')).toBe('2026-04-05T02:30:00.000Z'); // ACST
    expect(cutoffInstant(s, '2026-10-04')).toBe('2026-10-04T01:30:00.000Z'); // ACDT again
  });

  it('handles the 30-minute DST gap of Australia/Lord_Howe', () => {
    // 2026-10-04: 02:00 +10:30 jumps to 02:30 +11:00, so 02:15 moves to 02:45 (+11:00).
    expect(zonedInstant('2026-10-04', 2, 15, 'Australia/Lord_Howe')).toBe(
      Date.parse('2026-10-03T15:45:00Z'),
    );
    expect(offsetMinutes(Date.parse('2026-10-03T00:00:00Z'), 'Australia/Lord_Howe')).toBe(630);
    expect(offsetMinutes(Date.parse('2026-10-05T00:00:00Z'), 'Australia/Lord_Howe')).toBe(660);
  });
});

describe('latestDueRound', () => {
  it('is yesterday until the cutoff passes, then today (the cutoff instant itself is due)', () => {
    expect(latestDueRound(la, at('2026-03-08T18:59:59Z'))).toEqual({
      id: '2026-03-07',
      cutoff: '2026-03-07T20:00:00.000Z',
    });
    expect(latestDueRound(la, at('2026-03-08T19:00:00Z'))?.id).toBe('2026-03-08');
  });

  it('keeps a local date that is behind the UTC date', () => {
    // 2026-03-09T02:00Z is 19:00 PDT on March 8 in Los Angeles.
    expect(latestDueRound(la, at('2026-03-09T02:00:00Z'))?.id).toBe('2026-03-08');
  });

  it('picks the last scheduled weekday for a weekly contest', () => {
    const weekly: Schedule = { ...la, cadence: 'weekly', weekday: 'mon' };
    // Wednesday 2026-03-11 → Monday 2026-03-09.
    expect(latestDueRound(weekly, at('2026-03-11T12:00:00Z'))?.id).toBe('2026-03-09');
    // Monday 2026-03-09 before the cutoff → Monday 2026-03-02.
    expect(latestDueRound(weekly, at('2026-03-09T18:00:00Z'))?.id).toBe('2026-03-02');
  });

  it('is null before the contest opens and stops at the day it closes', () => {
    const window = { ...la, opens: '2026-03-10', closes: '2026-03-12' };
    expect(latestDueRound(window, at('2026-03-10T18:00:00Z'))).toBeNull();
    expect(latestDueRound(window, at('2026-03-10T19:00:00Z'))?.id).toBe('2026-03-10');
    expect(latestDueRound(window, at('2026-04-01T00:00:00Z'))?.id).toBe('2026-03-12');
  });

  it('refuses a weekly schedule without a weekday, naming the field', () => {
    const bad: Schedule = { ...la, cadence: 'weekly' };
    expect(() => latestDueRound(bad, at('2026-03-11T12:00:00Z'))).toThrow(ScheduleError);
    expect(() => latestDueRound(bad, at('2026-03-11T12:00:00Z'))).toThrow(/schedule.weekday/);
  });
});

describe('missingRounds', () => {
  const now = at('2026-03-09T21:00:00Z'); // after the 2026-03-09 cutoff (19:00Z)

  it('lists every due round after the last indexed one, oldest first', () => {
    const { missing, skipped } = missingRounds(la, now, '2026-03-07');
    expect(missing.map((r) => r.id)).toEqual(['2026-03-08', '2026-03-09']);
    expect(missing[0]?.cutoff).toBe('2026-03-08T19:00:00.000Z');
    expect(skipped).toEqual([]);
  });

  it('bounds catch-up to the newest rounds and reports the older ones as skipped', () => {
    const { missing, skipped } = missingRounds(la, now, '2026-03-03', 3);
    expect(missing.map((r) => r.id)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(skipped.map((r) => r.id)).toEqual(['2026-03-04', '2026-03-05', '2026-03-06']);
  });

  it('has nothing missing when the latest due round is indexed, even under a suffixed id', () => {
    expect(missingRounds(la, now, '2026-03-09').missing).toEqual([]);
    expect(missingRounds(la, now, '2026-03-09-rerun').missing).toEqual([]);
    // A suffixed re-run of an older day does not cover a later day.
    expect(missingRounds(la, now, '2026-03-08-rerun').missing.map((r) => r.id)).toEqual([
      '2026-03-09',
    ]);
  });

  it('starts a new validator at the latest due round instead of replaying history', () => {
    expect(missingRounds(la, now, null)).toEqual({
      missing: [{ id: '2026-03-09', cutoff: '2026-03-09T19:00:00.000Z' }],
      skipped: [],
    });
  });

  it('refuses a catch-up bound that is not a positive integer', () => {
    expect(() => missingRounds(la, now, null, 0)).toThrow(/max catch-up/);
  });
});

describe('wall clock', () => {
  it('reads the local date, time and weekday of an instant', () => {
    expect(wallClock(Date.parse('2026-03-08T10:30:00Z'), 'America/Los_Angeles')).toEqual({
      date: '2026-03-08',
      hour: 3,
      minute: 30,
      weekday: 0,
    });
  });

  it('refuses a date that is not on the calendar', () => {
    expect(() => zonedInstant('2026-02-30', 12, 0, 'UTC')).toThrow(/not a calendar date/);
  });
});
