import { describe, expect, it } from 'vitest';
import {
  booleanInput,
  contestIdInput,
  dateInput,
  enumInput,
  InputError,
  integerInput,
  positiveIntegerInput,
  textInput,
} from './inputs.js';

/** Inputs as the runner hands them over: a name → text table, '' when not given. */
const given =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? '';

describe('booleanInput', () => {
  it.each(['true', 'True', 'TRUE'])('reads YAML 1.2 "%s" as true', (text) => {
    expect(booleanInput(given({ 'dry-run': text }), 'dry-run', false)).toBe(true);
  });

  it.each(['false', 'False', 'FALSE'])('reads YAML 1.2 "%s" as false', (text) => {
    expect(booleanInput(given({ 'dry-run': text }), 'dry-run', true)).toBe(false);
  });

  it('returns the fallback when the input is not given', () => {
    expect(booleanInput(given({}), 'dry-run', true)).toBe(true);
    expect(booleanInput(given({}), 'dry-run', false)).toBe(false);
  });

  it.each(['yes', 'no', '1', '0', 'on', 'tRUE', 'true '])(
    'refuses "%s", naming the input and the value, instead of reading it as false',
    (text) => {
      expect(() => booleanInput(given({ 'dry-run': text }), 'dry-run', false)).toThrow(
        new InputError('dry-run', `must be true or false (got "${text}")`),
      );
    },
  );
});

describe('integerInput and positiveIntegerInput', () => {
  it('reads a decimal integer within bounds, and the fallback when empty', () => {
    expect(integerInput(given({ shard: '3' }), 'shard', { min: 0, max: 7 })).toBe(3);
    expect(integerInput(given({}), 'shard', { min: 0, fallback: 0 })).toBe(0);
    expect(positiveIntegerInput(given({ shards: '12' }), 'shards', 1)).toBe(12);
  });

  it.each(['-1', '1.5', '1e3', 'two', '0x10', '8'])('refuses "%s" for an integer 0…7', (text) => {
    expect(() => integerInput(given({ shard: text }), 'shard', { min: 0, max: 7 })).toThrow(
      `input "shard" must be an integer 0…7 (got "${text}")`,
    );
  });

  it('refuses 0 and words for a positive integer, and an empty required one', () => {
    expect(() => positiveIntegerInput(given({ shards: '0' }), 'shards', 1)).toThrow(
      'input "shards" must be a positive integer (got "0")',
    );
    expect(() => positiveIntegerInput(given({}), 'attempts')).toThrow(
      'input "attempts" is required but empty',
    );
  });
});

describe('enumInput, textInput, contestIdInput, dateInput', () => {
  it('accepts only the exact spelling of a listed value', () => {
    const modes = ['round', 'republish'] as const;
    expect(enumInput(given({ mode: 'republish' }), 'mode', modes, 'round')).toBe('republish');
    expect(enumInput(given({}), 'mode', modes, 'round')).toBe('round');
    expect(() => enumInput(given({ mode: 'Round' }), 'mode', modes, 'round')).toThrow(
      'input "mode" must be "round" or "republish" (got "Round")',
    );
  });

  it('refuses an empty required input and a contest id that is a path', () => {
    expect(() => textInput(given({}), 'out')).toThrow('input "out" is required but empty');
    expect(() => contestIdInput(given({ contest: '../etc' }), 'contest')).toThrow(
      'input "contest" must be a contest id like "sr-x2-demo" (got "../etc")',
    );
  });

  it('reads an ISO date, or the fallback clock when empty, and refuses anything else', () => {
    const now = new Date('2026-03-12T21:00:00Z');
    expect(dateInput(given({ now: '2026-03-12T21:00:00Z' }), 'now', () => new Date(0))).toEqual(
      now,
    );
    expect(dateInput(given({}), 'now', () => now)).toBe(now);
    expect(() => dateInput(given({ now: 'tomorrow' }), 'now', () => now)).toThrow(
      'input "now" is not a date (got "tomorrow")',
    );
  });
});
