import { describe, expect, it } from 'vitest';
import { wildcardMatch } from '../../../src/collector/ssh/wildcard-match';

describe('wildcardMatch', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['', '', true],
    ['', 'x', false],
    ['host?', 'host1', true],
    ['host?', 'host', false],
    ['host?', 'host12', false],
    ['*.example', 'x.example', true],
    ['*.example', 'example', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['*a*b', 'ababab', true],
    ['a.b', 'aXb', false],
    ['[127.0.0.1]:2222', '[127.0.0.1]:2222', true],
    ['k?m-*', 'kvm-a', true],
    ['**', 'x', true],
    ['*?', '', false],
    ['Kvm', 'kvm', false],
  ])('%j against %j: %s', (pattern, text, expected) => {
    expect(wildcardMatch(pattern, text)).toBe(expected);
  });

  it('answers patterns that backtrack exponentially as a regex in linear steps', () => {
    const started = performance.now();
    expect(wildcardMatch('*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(10_000))).toBe(false);
    expect(wildcardMatch(`${'*a'.repeat(500)}*b`, 'a'.repeat(2_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
