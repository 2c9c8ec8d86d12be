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

  it('breaks the line where values are missing', () => {
    const ts = Array.from({ length: 73 }, (_, i) => i);
    const values = ts.map((i) => (i >= 30 && i < 40 ? null : 50));
    const { container } = render(<Sparkline ts={ts} values={values} max={100} label="trend" />);
    expect(pointsOf(container.querySelector('svg') as Element)).toHaveLength(2);
  });

  it('draws nothing, at the same size, before there are two points in time', () => {
    const { container } = render(<Sparkline ts={[5]} values={[1]} label="trend" />);
    const svg = container.querySelector('svg') as Element;
    expect(svg.getAttribute('width')).toBe('72');
    expect(svg.querySelectorAll('polyline')).toHaveLength(0);
  });
});
