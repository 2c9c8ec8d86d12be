import { describe, expect, it } from 'vitest';
import { views } from '../../src/renderer/components/view-tabs';
import { desktopStates, noFilters } from '../../src/renderer/desktops/desktop-filters';
import type { DesktopFilters } from '../../src/renderer/desktops/desktop-filters';
import { ranges } from '../../src/renderer/detail/series';
import { hostRoute, viewRoute, vmRoute } from '../../src/renderer/navigation';
import type { Route } from '../../src/renderer/navigation';
import { formatRoute, MAX_LINK_CHARS, parseRoute } from '../../src/renderer/route-url';
import { seededRandom } from '../helpers/seeded-random';

/** What ids and searches are made of here: everything a URL gives a meaning to, and more. */
const pieces = [
  '/',
  '?',
  '#',
  '%',
  '%2F',
  '%zz',
  ' ',
  '+',
  '&',
  '=',
  '"',
  "'",
  '<script>',
  '\\',
  '가상 서버',
  '한',
  '😀',
  '\u0000',
  '\n',
  'a',
  'Z',
  '0',
  '-',
  '.',
  '..',
  'vm',
  'host',
] as const;

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

/** A non-empty string of 1 to 12 pieces. */
function hostileText(random: Random): string {
  const count = 1 + Math.floor(random() * 12);
  return Array.from({ length: count }, () => pick(random, pieces)).join('');
}

function randomFilters(random: Random): DesktopFilters {
  return {
    text: random() < 0.7 ? hostileText(random) : '',
    host: random() < 0.5 ? hostileText(random) : '',
    state: random() < 0.5 ? pick(random, desktopStates) : '',
    connectedNow: random() < 0.5,
    idleDays: random() < 0.5 ? 1 + Math.floor(random() * 3650) : null,
  };
}

/** Any route the console makes, of every shape, with hostile ids and filters. */
function randomRoute(random: Random): Route {
  const range = pick(random, ranges);
  switch (Math.floor(random() * 4)) {
    case 0:
      return viewRoute(pick(random, views));
    case 1:
      return { ...viewRoute('desktops'), filters: randomFilters(random) };
    case 2: {
      const from = random() < 0.5 ? viewRoute('hosts') : null;
      return { ...hostRoute(from, hostileText(random)), range };
    }
    default:
      return { ...vmRoute(hostileText(random), hostileText(random)), range };
  }
}

describe('a route as a link', () => {
  it('writes each shape as the docs show it', () => {
    expect(formatRoute(viewRoute('overview'))).toBe('#/overview');
    expect(formatRoute(viewRoute('sync'))).toBe('#/sync');
    expect(formatRoute({ ...hostRoute(viewRoute('hosts'), 'a/b c'), range: '24h' })).toBe(
      '#/hosts/host/a%2Fb%20c?range=24h',
    );
    expect(formatRoute(hostRoute(null, 'h1'))).toBe('#/overview/host/h1');
    expect(formatRoute({ ...vmRoute('h1', 'u-1'), range: '1h' })).toBe(
      '#/desktops/vm/h1/u-1?range=1h',
    );
    expect(
      formatRoute({
        ...viewRoute('desktops'),
        filters: { text: 'win 10', host: 'h1', state: 'running', connectedNow: true, idleDays: 7 },
      }),
    ).toBe('#/desktops?q=win%2010&host=h1&state=running&connected=1&idle=7');
  });

  it('reads back every route it writes: 5,000 routes of every shape with hostile ids', () => {
    const random = seededRandom(0x11e4);
    const shapes = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const route = randomRoute(random);
      const hash = formatRoute(route);
      expect(parseRoute(hash), hash).toEqual(route);
      // The id stays inside its segment: the hash has the structure's slashes, one '#'
      // and at most one '?', whatever the ids hold.
      const [path = '', query] = hash.slice(1).split('?');
      expect(hash.indexOf('#', 1), hash).toBe(-1);
      expect(query?.includes('?') ?? false, hash).toBe(false);
      const slashes = path.split('/').length - 1;
      expect(slashes, hash).toBe(route.vm ? 4 : route.host !== null ? 3 : 1);
      // A browser keeps it as written, and the query before it (serve's) untouched.
      const url = new URL(`file:///opt/setmov/index.html?token=x%2By${hash}`);
      expect(url.hash, hash).toBe(hash);
      expect(url.search).toBe('?token=x%2By');
      shapes.add(`${route.view}:${route.host !== null}:${route.vm !== null}`);
    }
    // Every view's list, both host pages, the VM page.
    expect(shapes.size).toBe(views.length + 3);
  });

  it('writes a lone surrogate (no valid text, but a string) without a throw', () => {
    const route = { ...viewRoute('desktops'), filters: { ...noFilters, text: 'a\uD800b' } };
    expect(parseRoute(formatRoute(route))?.filters.text).toBe('a\uFFFDb');
  });
});

describe('a link as a route', () => {
  it('takes no hash, an empty one and a bare slash for the overview', () => {
    for (const hash of ['', '#', '#/', '/', '#/overview', '#overview/']) {
      expect(parseRoute(hash), hash).toEqual(viewRoute('overview'));
    }
  });

  it('takes what a person types: "+" for a space, the slashes optional', () => {
    expect(parseRoute('#/desktops?q=win+10')?.filters.text).toBe('win 10');
    expect(parseRoute('#desktops/vm/h/u/')).toEqual(vmRoute('h', 'u'));
    expect(parseRoute('#/desktops/vm/%EA%B0%80/u')?.vm?.host).toBe('가');
    expect(parseRoute('#/desktops/vm/가/u')?.vm?.host).toBe('가');
  });

  it.each([
    '#/nope',
    '#/Desktops',
    '#/constructor',
    '#/__proto__',
    '#/toString',
    '#/<script>alert(1)</script>',
    '#/desktops/<img src=x onerror=alert(1)>',
    '#//desktops',
    '#/desktops//vm/h/u',
    '#/desktops/vm',
    '#/desktops/vm/h',
    '#/desktops/vm/h/u/more',
    '#/desktops/vm//u',
    '#/desktops/host/h',
    '#/overview/vm/h/u',
    '#/overview/host',
    '#/overview/host/a/b',
    '#/hosts/h1',
    '#/analysis/host/h1',
    '#/sync/vm/h/u',
    '#/overview/host/%',
    '#/overview/host/%E0%A4%A',
    '#/overview/host/%zz',
    '#/%E0%A4%A',
    '#/overview/host/%uD800',
  ])('gives no route for %s', (hash) => {
    expect(parseRoute(hash)).toBeNull();
  });

  it('leaves out parameters it does not know or cannot read, and keeps the page', () => {
    expect(parseRoute('#/desktops/vm/h/u?range=forever')).toEqual(vmRoute('h', 'u'));
    expect(parseRoute('#/desktops/vm/h/u?range=%')).toEqual(vmRoute('h', 'u'));
    expect(parseRoute('#/desktops/vm/h/u?range=1h&range=7d')?.range).toBe('1h');
    expect(parseRoute('#/overview/host/h?q=x')).toEqual(hostRoute(null, 'h'));
    expect(
      parseRoute('#/desktops?q=%zz&state=evil&idle=99999&connected=yes&__proto__=1&&=&x'),
    ).toEqual(viewRoute('desktops'));
    expect(parseRoute('#/desktops?idle=0')?.filters.idleDays).toBeNull();
    expect(parseRoute('#/desktops?idle=1e3')?.filters.idleDays).toBeNull();
    expect(parseRoute('#/desktops?idle=3650')?.filters.idleDays).toBe(3650);
    // Filters belong to the table: on a page, and in another view, they are not read.
    expect(parseRoute('#/desktops/vm/h/u?q=x')?.filters).toEqual(noFilters);
    expect(parseRoute('#/hosts?q=x')).toEqual(viewRoute('hosts'));
    // A search longer than the box takes is cut to the box.
    expect(parseRoute(`#/desktops?q=${'x'.repeat(1000)}`)?.filters.text).toHaveLength(200);
  });

  it('reads a huge hash in bounded time, and no longer than the links it writes', () => {
    const junk = [
      '%'.repeat(10_000),
      `#/${'a/'.repeat(500_000)}`,
      `#/desktops?${'q=%E0&'.repeat(100_000)}`,
      `#/desktops/vm/${'가'.repeat(1_000_000)}/u`,
      `#/${'%2F'.repeat(MAX_LINK_CHARS)}`,
    ];
    for (const hash of junk) {
      const started = performance.now();
      expect(parseRoute(hash)).toBeNull();
      expect(performance.now() - started).toBeLessThan(50);
    }
    // Just under the limit is read through: still quick.
    const long = `#/${'a/'.repeat(MAX_LINK_CHARS / 2 - 2)}`;
    const started = performance.now();
    expect(parseRoute(long)).toBeNull();
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('never throws on 20,000 damaged links, and what it reads it writes back the same', () => {
    const random = seededRandom(0xbad1);
    const damage = [...pieces, '%E0', '%', '?', '#', '/', 'desktops', 'hosts', 'range=1h'];
    for (let i = 0; i < 20_000; i++) {
      let hash = formatRoute(randomRoute(random));
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (hash.length + 1));
        const cutTo = at + Math.floor(random() * 4);
        hash = hash.slice(0, at) + (random() < 0.7 ? pick(random, damage) : '') + hash.slice(cutTo);
      }
      const route = parseRoute(hash);
      if (route !== null) expect(parseRoute(formatRoute(route)), hash).toEqual(route);
    }
  });
});
