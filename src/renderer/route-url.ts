/*
 * The console's place as the location's hash, and back: pure functions, no window.
 *
 *   #/overview                            (also '', '#' and '#/')
 *   #/overview/host/<hostId>?range=24h    a host's page, opened from the overview
 *   #/hosts                               the hosts inventory
 *   #/hosts/host/<hostId>                 a host's page, opened from the inventory
 *   #/desktops?q=win&host=<hostId>&state=running&connected=1&idle=7
 *   #/desktops/vm/<hostId>/<uuid>?range=1h
 *   #/analysis, #/sync
 *
 * The hash, because the page is a file:// URL in the app and `/` under `setmov serve`
 * (whose ?token= is taken off by a redirect): the path and the query are not the page's
 * to use. Ids are written with encodeURIComponent, so a '/', '?', '#' or '%' in one
 * stays inside its segment. Anything else read here (bad percent-encoding, an unknown
 * view, junk) is not a route: parseRoute says so with null, never a throw.
 */
import { views } from './components/view-tabs';
import type { View } from './components/view-tabs';
import {
  desktopStates,
  MAX_IDLE_DAYS,
  MAX_SEARCH_CHARS,
  noFilters,
} from './desktops/desktop-filters';
import type { DesktopFilters } from './desktops/desktop-filters';
import { ranges } from './detail/series';
import type { Range } from './detail/series';
import { isListRoute, viewRoute } from './navigation';
import type { Route } from './navigation';

/**
 * The longest hash read as a route: several times the longest the console writes (two
 * ids and a 200-character search, every character percent-encoded). A longer one is
 * not a link of this console, and is not worked through.
 */
export const MAX_LINK_CHARS = 4096;

/** The views whose tables open a host's page. */
const hostPageViews: readonly View[] = ['overview', 'hosts'];

const isView = (word: string): word is View => (views as readonly string[]).includes(word);
const isRange = (word: string): word is Range => (ranges as readonly string[]).includes(word);
const isState = (word: string): boolean => (desktopStates as readonly string[]).includes(word);

/** A lone UTF-16 surrogate: encodeURIComponent throws on one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** encodeURIComponent of any string: a lone surrogate is written as U+FFFD, not thrown on. */
const encode = (text: string): string => encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'));

/** The hash of a route: what a link to that place ends with. */
export function formatRoute(route: Route): string {
  const path: string[] = [route.view];
  if (route.host !== null) path.push('host', encode(route.host));
  else if (route.vm !== null) path.push('vm', encode(route.vm.host), encode(route.vm.uuid));
  const query = queryParams(route)
    .map(([key, value]) => `${key}=${encode(value)}`)
    .join('&');
  return `#/${path.join('/')}${query ? `?${query}` : ''}`;
}

/** A page's range, or the desktops table's filters: what is not the default. */
function queryParams(route: Route): [string, string][] {
  if (!isListRoute(route)) return route.range === 'live' ? [] : [['range', route.range]];
  return route.view === 'desktops' ? filterParams(route.filters) : [];
}

/** The filters that are set, in a fixed order, as query parameters. */
function filterParams(filters: DesktopFilters): [string, string][] {
  const params: [string, string][] = [];
  if (filters.text) params.push(['q', filters.text]);
  if (filters.host) params.push(['host', filters.host]);
  if (filters.state) params.push(['state', filters.state]);
  if (filters.connectedNow) params.push(['connected', '1']);
  if (filters.idleDays !== null) params.push(['idle', String(filters.idleDays)]);
  return params;
}

/**
 * decodeURIComponent, with null for a malformed escape instead of a URIError, and a
 * lone surrogate typed as it is made U+FFFD, as encode writes it.
 */
function decode(text: string): string | null {
  try {
    return decodeURIComponent(text).replace(LONE_SURROGATE, '\uFFFD');
  } catch {
    return null;
  }
}

/**
 * The route a hash names, or null when it names none (a link from a later version, a
 * cut or damaged one, junk). Unknown query parameters and values out of range are left
 * out, as an older console leaves out what a newer one adds.
 */
export function parseRoute(hash: string): Route | null {
  if (hash.length > MAX_LINK_CHARS) return null;
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const queryAt = body.indexOf('?');
  const segments = (queryAt < 0 ? body : body.slice(0, queryAt)).split('/');
  // The leading '/' and a trailing one are optional: '#desktops/' is '#/desktops'.
  if (segments[0] === '') segments.shift();
  if (segments.at(-1) === '') segments.pop();
  const words: string[] = [];
  for (const segment of segments) {
    const word = decode(segment);
    if (word === null || word === '') return null;
    words.push(word);
  }
  const [view = 'overview', kind, ...ids] = words;
  if (!isView(view)) return null;
  const params = queryAt < 0 ? new Map<string, string>() : parseQuery(body.slice(queryAt + 1));
  const range = params.get('range');
  const page = {
    ...viewRoute(view),
    range: range !== undefined && isRange(range) ? range : 'live',
  };
  const [first, second] = ids;
  if (kind === undefined) {
    return view === 'desktops'
      ? { ...viewRoute(view), filters: filtersOf(params) }
      : viewRoute(view);
  }
  if (kind === 'host' && hostPageViews.includes(view) && ids.length === 1 && first) {
    return { ...page, host: first };
  }
  if (kind === 'vm' && view === 'desktops' && ids.length === 2 && first && second) {
    return { ...page, vm: { host: first, uuid: second } };
  }
  return null;
}

/** A query's parameters, the first of each name; '+' is a space, as in a form's query. */
function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    const key = decode((equals < 0 ? pair : pair.slice(0, equals)).replaceAll('+', ' '));
    const value = decode((equals < 0 ? '' : pair.slice(equals + 1)).replaceAll('+', ' '));
    if (key !== null && value !== null && !params.has(key)) params.set(key, value);
  }
  return params;
}

/** The desktops table's filters a link sets; a value the table would not take is left out. */
function filtersOf(params: ReadonlyMap<string, string>): DesktopFilters {
  const text = params.get('q') ?? '';
  const state = params.get('state') ?? '';
  const idle = params.get('idle') ?? '';
  const days = /^\d{1,4}$/.test(idle) ? Number(idle) : 0;
  return {
    ...noFilters,
    text: text.slice(0, MAX_SEARCH_CHARS),
    host: params.get('host') ?? '',
    state: isState(state) ? state : '',
    connectedNow: params.get('connected') === '1',
    idleDays: days >= 1 && days <= MAX_IDLE_DAYS ? days : null,
  };
}
