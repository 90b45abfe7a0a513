// Unit tests (no browser) of the page's store, its one hash writer, and the api module that knows
// every endpoint. The window and fetch given to them are small hand-made stand-ins that record
// what the code asks for; the real browser and server are exercised in browser.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bindHash, createStore, equal, isAnchor, stateFromHash } from '../src/store.js';
import { defaultState, formatHash } from '../src/permalink.js';
import { ApiError, createApi, urls } from '../src/api.js';

const here = dirname(fileURLToPath(import.meta.url));

/** A window with a location, a history that records replaceState, and event listeners. */
function fakeWindow(hash = '', elements = {}) {
  const listeners = {};
  const docListeners = {};
  const win = {
    writes: [],
    location: { hash, pathname: '/', search: '' },
    history: {
      replaceState(_state, _title, url) {
        win.writes.push(url);
        win.location.hash = url.startsWith('#') ? url : '';
      },
    },
    addEventListener: (type, fn) => ((listeners[type] ??= []).push(fn)),
    document: {
      getElementById: (id) => elements[id] ?? null,
      addEventListener: (type, fn) => ((docListeners[type] ??= []).push(fn)),
    },
    /** The user (or a link) changes the hash. */
    navigate(h) {
      win.location.hash = h;
      for (const fn of listeners.hashchange ?? []) fn();
    },
    click(event) {
      for (const fn of docListeners.click ?? []) fn(event);
    },
  };
  return win;
}

/** An element that records focus. */
function fakeElement(id) {
  const attrs = {};
  return {
    id, tagName: 'SECTION', focused: 0,
    hasAttribute: (k) => k in attrs,
    setAttribute: (k, v) => (attrs[k] = v),
    focus() {
      this.focused++;
    },
  };
}

const start = (hash = '') => ({ ...stateFromHash(hash, { lang: 'fr' }), place: null, shown: null });

test('a store tells its listeners once per change, with the keys that changed', () => {
  const store = createStore({ a: 1, b: new Set(['x']), c: { d: [1, 2] } });
  const heard = [];
  const off = store.subscribe((s, prev, meta) => heard.push([s.a, prev.a, [...meta.changed].sort(), meta.from]));
  assert.equal(store.set({ a: 2 }, { from: 'test' }), true);
  assert.equal(store.set({ b: new Set(['x']), c: { d: [1, 2] } }), false, 'equal values are no change');
  store.set((s) => ({ a: s.a + 1, b: new Set(['y']) }));
  off();
  store.set({ a: 10 });
  assert.deepEqual(heard, [[2, 1, ['a'], 'test'], [3, 2, ['a', 'b'], undefined]]);
  assert.equal(store.get().a, 10);
});

test('a change made by a listener is heard after the current one, in order', () => {
  const store = createStore({ n: 0, m: 0 });
  const order = [];
  store.subscribe((s, prev, meta) => {
    order.push(`first:${[...meta.changed]}`);
    if (meta.changed.has('n')) store.set({ m: s.n * 10 });
  });
  store.subscribe((s, prev, meta) => order.push(`second:${[...meta.changed]}:${s.m}`));
  store.set({ n: 2 });
  assert.deepEqual(order, ['first:n', 'second:n:0', 'first:m', 'second:m:20']);
  assert.equal(store.get().m, 20);
});

test('equality compares Sets and plain objects by value and class instances by identity', () => {
  assert.equal(equal(new Set([1, 2]), new Set([2, 1])), true);
  assert.equal(equal({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
  assert.equal(equal({ a: 1 }, { a: 1, b: undefined }), false);
  class Data {}
  assert.equal(equal(new Data(), new Data()), false);
  assert.equal(equal(new Map(), new Map()), false);
});

test('the hash is written once per change of the permalink, and not for other keys', () => {
  const win = fakeWindow('#territoire=dep:81');
  const store = createStore(start(win.location.hash));
  bindHash(store, win);
  assert.deepEqual(win.writes, [], 'the address already says it');
  const filters = { ...store.get().filters, services: new Set(['Aide aux démarches administratives']) };
  store.set({ filters, layers: new Set(['lieux', 'ifn']) });
  assert.equal(win.writes.length, 1);
  assert.equal(win.writes[0], '#territoire=dep:81&couches=ifn,lieux&services=Aide%20aux%20d%C3%A9marches%20administratives');
  store.set({ place: { kind: 'dep', code: '81', name: 'Tarn' }, shown: { n: 3 } });
  assert.equal(win.writes.length, 1, 'loaded data is no permalink');
  store.set({ view: { z: 10, lat: 43.928, lon: 2.148 }, venue: 'v-1' });
  assert.equal(win.writes.length, 2);
  assert.match(win.writes[1], /^#carte=10\/43\.9280\/2\.1480&territoire=dep:81&.*&lieu=v-1$/);
  store.set({ territory: null, view: null, venue: null, layers: new Set(['lieux', 'ifn', 'contours']), filters: defaultState().filters });
  assert.equal(win.writes.at(-1), '/', 'an empty permalink leaves the bare address');
});

test('a hash typed or pasted becomes the state, and the state written back is the same hash', () => {
  const win = fakeWindow('');
  const store = createStore(start());
  const heard = [];
  store.subscribe((s, prev, meta) => heard.push(meta));
  bindHash(store, win);
  const hash = '#carte=9/43.9000/2.1000&territoire=epci:248100737&couches=contours,ifn&ifn=2020:reg_score_global&niveau=communes&categorie=france-services|__autres__&tableau=tout&commune=81004&lang=en';
  win.navigate(hash);
  const s = store.get();
  assert.deepEqual(s.territory, { kind: 'epci', code: '248100737' });
  assert.deepEqual(s.view, { z: 9, lat: 43.9, lon: 2.1 });
  assert.deepEqual([...s.filters.categorie], ['france-services', '__autres__']);
  assert.equal(s.tableInView, false);
  assert.equal(s.lang, 'en');
  assert.equal(heard.length, 1);
  assert.equal(heard[0].from, 'hash');
  assert.equal(formatHash(s), hash, 'round trip');
  assert.deepEqual(win.writes, [], 'reading the hash does not write it again');
  // A hash without a language keeps the one in force.
  win.navigate('#territoire=dep:81');
  assert.equal(store.get().lang, 'en');
  assert.equal(store.get().commune, null);
});

test('in-page links move the focus and leave the state and the permalink alone', () => {
  const filters = fakeElement('filters');
  const win = fakeWindow('#territoire=dep:81&services=Aide%20aux%20d%C3%A9marches%20administratives', { filters, map: fakeElement('map') });
  const store = createStore(start(win.location.hash));
  const heard = [];
  store.subscribe((s, prev, meta) => heard.push(meta));
  bindHash(store, win);
  const before = store.get();
  // A click on <a href="#filters"> is taken before the hash changes.
  let prevented = false;
  const link = { getAttribute: () => '#filters' };
  win.click({ target: { closest: () => link }, defaultPrevented: false, preventDefault: () => (prevented = true) });
  assert.equal(prevented, true);
  assert.equal(filters.focused, 1);
  // A hash naming an element that still arrives (typed, or a link made elsewhere).
  win.navigate('#filters');
  assert.equal(filters.focused, 2);
  assert.equal(store.get(), before, 'the state is untouched');
  assert.deepEqual(heard, []);
  assert.equal(win.location.hash, formatHash(before), 'the permalink is back in the address');
  assert.equal(isAnchor('#map'), true);
  assert.equal(isAnchor('#territoire=dep:81'), false);
  assert.equal(isAnchor('#'), false);
  // An unknown id is read as a (default) permalink, as before.
  win.navigate('#nowhere');
  assert.equal(store.get().territory, null);
});

test('the api builds the address of every endpoint', () => {
  assert.equal(urls.config(), 'config.json');
  assert.equal(urls.basemap('world-50m.topo.json'), 'basemap/world-50m.topo.json');
  assert.equal(urls.openapi(), '/api');
  assert.equal(urls.layers(), '/api/layers');
  assert.equal(urls.collections(), '/collections');
  assert.equal(urls.schema('communes'), '/collections/communes/schema');
  assert.equal(urls.items('venues', [['departement', '81'], ['services', 'A|B'], ['bbox', null], ['q', ''], ['f', 'json']]), '/collections/venues/items?departement=81&services=A%7CB&f=json');
  assert.equal(urls.items('town-halls'), '/collections/town-halls/items');
  assert.equal(urls.item('venues', 'france-services-2023/9 8'), '/collections/venues/items/france-services-2023%2F9%208?f=json');
  assert.equal(urls.search('Saint-Étienne', 50), '/api/search?q=Saint-%C3%89tienne&limit=50');
  assert.equal(urls.nearest({ lon: '2.300000', lat: '43.730000', k: 5, services: ['A', 'B'] }), '/api/nearest?lon=2.300000&lat=43.730000&k=5&services=A%7CB');
  assert.equal(urls.nearest({ lon: 2.148, lat: 43.928, k: 1 }), '/api/nearest?lon=2.148&lat=43.928&k=1');
  assert.equal(urls.commune('2A004'), '/api/communes/2A004');
  assert.equal(urls.gaps(), '/api/gaps');
  assert.equal(urls.gaps('81004'), '/api/gaps?commune=81004');
  assert.equal(urls.sites(), '/api/plan/sites');
  assert.equal(urls.tours(), '/api/plan/tours');
});

/** A fetch that records requests and answers from a table of JSON bodies by URL. */
function recordingFetch(answers) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    calls.push({ url, method: init.method ?? 'GET', body: init.body ? JSON.parse(init.body) : undefined });
    const body = answers[url];
    if (body === undefined) return { ok: false, status: 404, statusText: 'Not Found', json: async () => ({ description: `pas de ${url}` }), headers: new Map() };
    return { ok: true, status: 200, headers: new Map([['content-type', 'application/geo+json']]), json: async () => body };
  };
  return { fetch, calls };
}

test('the api client asks each endpoint at its address, follows next links and reports the server\'s error', async () => {
  const page2 = 'http://127.0.0.1:1/collections/venues/items?departement=81&f=json&offset=2';
  const { fetch, calls } = recordingFetch({
    '/collections/venues/items?departement=81&f=json': { numberMatched: 3, features: [{ id: 1 }, { id: 2 }], links: [{ rel: 'next', href: page2 }] },
    '/collections/venues/items?departement=81&f=json&offset=2': { features: [{ id: 3 }], links: [] },
    '/api/search?q=albi&limit=10': [{ kind: 'commune', code: '81004' }],
    '/api/communes/81004': { code: '81004' },
    '/api/gaps': { communes: [] },
    '/api/plan/tours': { days: [] },
    '/collections/communes/schema': { properties: { properties: { properties: { code: {}, ifn2023_total: {} } } } },
  });
  const api = createApi({ fetch, base: () => 'http://127.0.0.1:1/' });
  const all = await api.allItems('venues', [['departement', '81']]);
  assert.deepEqual(all.features.map((f) => f.id), [1, 2, 3]);
  assert.equal(all.numberMatched, 3);
  assert.deepEqual(await api.search('albi'), [{ kind: 'commune', code: '81004' }]);
  assert.deepEqual(await api.fields('communes'), ['code', 'ifn2023_total']);
  await api.commune('81004');
  await api.gaps({ territory: { departements: ['81'] } });
  await api.tours({ days: 1 });
  await assert.rejects(api.item('venues', 'x'), (e) => e instanceof ApiError && e.status === 404 && e.message === 'pas de /collections/venues/items/x?f=json');
  assert.deepEqual(calls.map((c) => `${c.method} ${c.url}`), [
    'GET /collections/venues/items?departement=81&f=json',
    'GET /collections/venues/items?departement=81&f=json&offset=2',
    'GET /api/search?q=albi&limit=10',
    'GET /collections/communes/schema',
    'GET /api/communes/81004',
    'POST /api/gaps',
    'POST /api/plan/tours',
    'GET /collections/venues/items/x?f=json',
  ]);
  assert.deepEqual(calls[5].body, { territory: { departements: ['81'] } });
});

test('no module but api.js calls fetch or writes an endpoint path', () => {
  const src = join(here, '../src');
  const offenders = [];
  for (const name of readdirSync(src).filter((n) => n.endsWith('.js') && n !== 'api.js')) {
    const code = readFileSync(join(src, name), 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l));
    code.forEach((line, i) => {
      if (/\bfetch\(|['"`]\/(api|collections)\b|getJSON|postJSON/.test(line)) offenders.push(`${name}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
