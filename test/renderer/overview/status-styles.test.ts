import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The components project runs in jsdom, where import.meta.url is no file: URL.
const css = readFileSync(join(process.cwd(), 'src/renderer/styles.css'), 'utf8').replace(
  /\/\*[\s\S]*?\*\//g,
  '',
);

/** The declarations of every rule whose selector list names the class, in file order. */
function declarationsOf(className: string): string {
  const rules = [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)];
  return rules
    .filter(([, selectors]) =>
      (selectors ?? '').split(',').some((s) => s.trim() === `.${className}`),
    )
    .map(([, , body]) => body ?? '')
    .join('\n');
}

describe("the hosts' status styles", () => {
  it.each([
    ['status-up', 'ok'],
    ['status-connecting', 'warn'],
    ['status-degraded', 'warn'],
    ['status-unreachable', 'danger'],
    ['status-stopped', 'idle'],
  ])('gives %s its own colours (%s)', (className, palette) => {
    expect(declarationsOf(className)).toContain(`background: var(--${palette}-bg)`);
  });

  it('clips a long reason to its cell with an ellipsis, on one line', () => {
    const reason = declarationsOf('status-reason');
    expect(reason).toMatch(/max-width: \d+px/);
    expect(reason).toContain('text-overflow: ellipsis');
    expect(reason).toContain('white-space: nowrap');
    expect(reason).toContain('overflow: hidden');
  });
});
