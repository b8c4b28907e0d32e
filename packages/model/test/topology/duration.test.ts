/**
 * Durations as topology files write them: the accepted forms, the rejected ones (with a message naming the value
 * and the accepted forms), and formatting back.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, tryParseDuration } from '../../src/topology/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['45s', 45_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1h', 3_600_000],
    ['2h45m30s', 9_930_000],
    ['1m30s500ms', 90_500],
    ['1.5s', 1_500],
    ['1.1s', 1_100],
    ['.5s', 500],
    ['0s', 0],
    ['0ms', 0],
    [' 15s ', 15_000],
    [0, 0],
    [1_500, 1_500],
    [0.5, 0.5],
  ] as const)('%j is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['fifteen', '"fifteen"'],
    ['', '""'],
    ['15', '"15" (a bare number must not be quoted (it means milliseconds), or add a unit)'],
    ['15 s', '"15 s" (write the unit right after the number, without a space)'],
    ['5min', '"5min" (units are h, m, s and ms)'],
    ['2d', '"2d" (units are h, m, s and ms)'],
    ['-5s', '"-5s" (durations cannot be negative)'],
    ['30m1h', '"30m1h" (units go from the largest to the smallest, each at most once, as in 1h30m)'],
    ['5m5m', '"5m5m" (units go from the largest to the smallest, each at most once, as in 1h30m)'],
    ['1h30', '"1h30" (units are h, m, s and ms)'],
    ['s', '"s"'],
  ])('rejects %j', (input, shown) => {
    const r = tryParseDuration(input);
    expect(r).toEqual({ ok: false, message: `expected a duration such as 15s, 5m or 250ms, got ${shown}` });
    expect(() => parseDuration(input)).toThrow(`got ${shown}`);
  });

  it.each([
    [-5, 'got -5 (durations cannot be negative)'],
    [Number.NaN, 'got NaN'],
    [Number.POSITIVE_INFINITY, 'got Infinity'],
    [true, 'got true'],
    [null, 'got null'],
    [undefined, 'got nothing'],
    [{ seconds: 5 }, 'got a mapping'],
    [['5s'], 'got a list'],
  ])('rejects the non-duration %j', (input, got) => {
    const r = tryParseDuration(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe(`expected a duration such as 15s, 5m or 250ms, ${got}`);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [1_500, '1s500ms'],
    [45_000, '45s'],
    [300_000, '5m'],
    [4_500_000, '1h15m'],
    [5_400_000, '1h30m'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test.prop([fc.integer({ min: 0, max: 1_000 * 3_600_000 })])('parseDuration(formatDuration(ms)) is ms for whole milliseconds', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
