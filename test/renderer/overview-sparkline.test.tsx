import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Sparkline } from '../../src/renderer/overview/sparkline';

const pointsOf = (svg: Element): string[][] =>
  [...svg.querySelectorAll('polyline')].map((line) =>
    (line.getAttribute('points') ?? '').split(' '),
  );

describe('Sparkline', () => {
  it('draws at most one point per pixel column, keeping the peak of each', () => {
    const ts = Array.from({ length: 300 }, (_, i) => i * 1000);
    const values = ts.map((_, i) => (i === 150 ? 100 : 10));
    const { container } = render(<Sparkline ts={ts} values={values} max={100} label="trend" />);
    const [line] = pointsOf(container.querySelector('svg') as Element);
    expect(line?.length).toBeLessThanOrEqual(73);
    // The spike reaches the top (y = 1 of a 20-pixel box); the rest sit near the bottom.
    expect(line?.filter((point) => point.endsWith(',1.0'))).toHaveLength(1);
    expect(line?.filter((point) => point.endsWith(',17.2'))).toHaveLength((line?.length ?? 0) - 1);
  });

  it('breaks the line where values are missing, and where samples stopped coming', () => {
    const ts = Array.from({ length: 73 }, (_, i) => i * 4000);
    const values = ts.map((_, i) => (i >= 30 && i < 40 ? null : 50));
    const { container } = render(<Sparkline ts={ts} values={values} max={100} label="trend" />);
    expect(pointsOf(container.querySelector('svg') as Element)).toHaveLength(2);
    // A minute without a sample is a gap too, though no null marks it.
    const paused = [0, 2000, 4000, 64_000, 66_000];
    const { container: second } = render(
      <Sparkline ts={paused} values={paused.map(() => 50)} max={100} label="trend" />,
    );
    const svg = second.querySelector('svg') as Element;
    expect(svg.querySelectorAll('polyline').length + svg.querySelectorAll('circle').length).toBe(2);
  });

  it('draws the first minute as a minute at the right, not stretched over five', () => {
    const ts = Array.from({ length: 31 }, (_, i) => i * 2000);
    const { container } = render(
      <Sparkline ts={ts} values={ts.map(() => 50)} max={100} label="trend" />,
    );
    const [line] = pointsOf(container.querySelector('svg') as Element);
    const xs = (line ?? []).map((point) => Number(point.split(',')[0]));
    // One minute of five: the last fifth of 72 pixels, ending at the right edge.
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(57);
    expect(Math.max(...xs)).toBe(72);
    // Joined: one line, not a dot per poll.
    expect(container.querySelectorAll('polyline')).toHaveLength(1);
  });

  it('draws a lone first sample as a dot, at the same size', () => {
    const { container } = render(<Sparkline ts={[5]} values={[1]} label="trend" />);
    const svg = container.querySelector('svg') as Element;
    expect(svg.getAttribute('width')).toBe('72');
    expect(svg.querySelectorAll('polyline')).toHaveLength(0);
    expect(svg.querySelectorAll('circle')).toHaveLength(1);
  });

  it('draws nothing, at the same size, without a value', () => {
    const { container } = render(<Sparkline ts={[5, 6]} values={[null, null]} label="trend" />);
    const svg = container.querySelector('svg') as Element;
    expect(svg.getAttribute('width')).toBe('72');
    expect(svg.children).toHaveLength(0);
  });
});
