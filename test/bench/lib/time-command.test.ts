import { describe, expect, it } from 'vitest';
import { CommandTimingError, parseTimingLine, timeCommand } from '../../../bench/lib/time-command';

describe('parseTimingLine', () => {
  it('reads the last timing line among other stderr output', () => {
    expect(parseTimingLine('warning: x\nSETMOV-TIME 0.250 0.010 0.005\n')).toEqual({
      wallMs: 250,
      userMs: 10,
      systemMs: 5,
    });
  });

  it('returns null for missing or garbled timing', () => {
    expect(parseTimingLine('')).toBeNull();
    expect(parseTimingLine('SETMOV-TIME 0.2 x 0.1')).toBeNull();
  });
});

describe('timeCommand', () => {
  it("measures a real command's wall and CPU time and keeps its output", () => {
    const t = timeCommand('bash', ['-c', 'i=0; while ((i < 50000)); do ((i++)); done; echo hi']);
    expect(t.stdout).toBe('hi\n');
    expect(t.cpuMs).toBeGreaterThan(0);
    expect(t.cpuMs).toBeCloseTo(t.userMs + t.systemMs, 6);
    expect(t.wallMs).toBeGreaterThan(0);
  });

  it('counts a sleeping command as wall time, not CPU', () => {
    const t = timeCommand('sleep', ['0.3']);
    expect(t.wallMs).toBeGreaterThanOrEqual(290);
    expect(t.cpuMs).toBeLessThan(100);
  });

  it('throws a typed error with the first stderr line when the command fails', () => {
    expect(() => timeCommand('bash', ['-c', 'echo boom >&2; exit 3'])).toThrow(/exited 3: boom/);
    expect(() => timeCommand('/nonexistent/command', [])).toThrow(CommandTimingError);
  });
});
