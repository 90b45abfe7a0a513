// Every request of the page goes through here: `urls` builds the address of each endpoint of the
// Maillage server (same origin only; GET layers follow OGC API – Features) and `createApi` does the
// requests. No other module calls `fetch` or writes an endpoint path.

export class ApiError extends Error {
  constructor(status, message, code = '') {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const JSON_TYPES = /application\/(?:[\w.+-]*\+)?json/;
const enc = encodeURIComponent;

/** Builds `?k=v&…` from [key, value] pairs (values may repeat; null and '' are left out). */
function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (v != null && v !== '') q.append(k, String(v));
  const qs = q.toString();
  return qs ? `?${qs}` : '';
}

/** The address of every endpoint the page uses. */
export const urls = {
  /** The page's configuration, served beside it. */
  config: () => 'config.json',
  /** An offline basemap file built into dist/basemap/. */
  basemap: (name) => `basemap/${name}`,
  /** The OpenAPI document. */
  openapi: () => '/api',
  /** The data sources and their state. */
  layers: () => '/api/layers',
  collections: () => '/collections',
  schema: (collection) => `/collections/${enc(collection)}/schema`,
  /** `/collections/{id}/items?…` from a list of [key, value] pairs. */
  items: (collection, params = []) => `/collections/${enc(collection)}/items${query(params)}`,
  /** One feature, whole. */
  item: (collection, id) => `/collections/${enc(collection)}/items/${enc(id)}?f=json`,
  search: (q, limit = 10) => `/api/search?q=${enc(q)}&limit=${limit}`,
  /** Nearest venues: `lon`, `lat` as they should be written, `services` joined by `|`. */
  nearest: ({ lon, lat, k = 5, services = [] }) => {
    const params = new URLSearchParams({ lon: String(lon), lat: String(lat), k: String(k) });
    if (services.length) params.set('services', services.join('|'));
    return `/api/nearest?${params}`;
  },
  commune: (code) => `/api/communes/${enc(code)}`,
  /** The gap analysis: POST with a body, or GET for one commune (the probe). */
  gaps: (commune = null) => (commune ? `/api/gaps?commune=${enc(commune)}` : '/api/gaps'),
  sites: () => '/api/plan/sites',
  tours: () => '/api/plan/tours',
};

async function readError(res) {
  let message = `${res.status} ${res.statusText}`;
  let code = '';
  try {
    const body = await res.json();
    message = body.description || body.message || body.detail || message;
    code = body.code || '';
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(res.status, message, code);
}

// The point of the probes: Albi.
const HERE = { lon: 2.148, lat: 43.928 };

/**
 * The client of the Maillage server. `fetch` and `base` (the page's address, to read `next`
 * links) default to the browser's.
 */
export function createApi({ fetch = (...a) => globalThis.fetch(...a), base = () => globalThis.location?.href } = {}) {
  /** GET a JSON document; throws ApiError with the server's (French) message on failure. */
  async function getJSON(url, { signal } = {}) {
    const res = await fetch(url, { signal, headers: { Accept: 'application/geo+json, application/json' } });
    if (!res.ok) throw await readError(res);
    if (!JSON_TYPES.test(res.headers.get('content-type') ?? '')) {
      throw new ApiError(404, `réponse non JSON pour ${url}`);
    }
    return res.json();
  }

  /** POST a JSON body and read the JSON answer. */
  async function postJSON(url, body, { signal } = {}) {
    const res = await fetch(url, {
      method: 'POST',
      signal,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw await readError(res);
    return res.json();
  }

  /** The same-origin path of a link href (servers may send absolute links). */
  function samePath(href) {
    const page = new URL(base());
    const u = new URL(href, page);
    return u.origin === page.origin ? u.pathname + u.search : null;
  }

  /**
   * Every feature of a query, following `next` links. `onPage(features, page)` is called per
   * page so the map can draw while the rest loads. Returns `{features, numberMatched}`.
   */
  async function allItems(collection, params, { signal, onPage, maxPages = 200 } = {}) {
    let url = urls.items(collection, [...params, ['f', 'json']]);
    const features = [];
    let numberMatched = null;
    for (let page = 0; url && page < maxPages; page++) {
      const fc = await getJSON(url, { signal });
      const got = fc.features ?? [];
      features.push(...got);
      if (numberMatched == null && typeof fc.numberMatched === 'number') numberMatched = fc.numberMatched;
      onPage?.(got, page);
      const next = (fc.links ?? []).find((l) => l.rel === 'next');
      url = next && got.length ? samePath(next.href) : null;
    }
    return { features, numberMatched: numberMatched ?? features.length };
  }

  /**
   * Which optional endpoints this server has: those its OpenAPI document lists, else those that
   * answer a small valid request with JSON. A missing GET route falls back to the page's HTML
   * (no error); the POST-only planning routes are probed with a one-point problem.
   */
  async function features({ signal } = {}) {
    const found = { search: false, nearest: false, communeSheet: false, gaps: false, sites: false, tours: false, collections: new Set() };
    let paths = {};
    try {
      const doc = await getJSON(urls.openapi(), { signal });
      paths = doc.paths ?? {};
    } catch {
      // No OpenAPI document yet.
    }
    const path = (url) => url.split('?')[0];
    const listed = (url) => Object.keys(paths).some((k) => k === path(url) || k.startsWith(`${path(url)}/`) || k.startsWith(`${path(url)}{`));
    found.gaps = listed(urls.gaps());
    found.sites = listed(urls.sites());
    found.tours = listed(urls.tours());
    found.search = listed(urls.search(''));
    found.nearest = listed(urls.nearest(HERE));
    found.communeSheet = listed(urls.commune('').replace(/\/$/, ''));
    const probe = (url) => getJSON(url, { signal }).then(() => true, () => false);
    const probePost = (url, body) => postJSON(url, body, { signal }).then(() => true, () => false);
    const [cols, search, nearest, gaps] = await Promise.all([
      getJSON(urls.collections(), { signal }).catch(() => ({ collections: [] })),
      found.search || probe(urls.search('albi').replace(/&limit=\d+$/, '')),
      found.nearest || probe(urls.nearest({ ...HERE, k: 1 })),
      found.gaps || probe(urls.gaps('81004')),
    ]);
    // The planning routes only take POST: probe them only when the gap analysis exists (same
    // generation of the server), with the smallest valid problem.
    const [sites, tours] = gaps ? await Promise.all([
      found.sites || probePost(urls.sites(), { demand: [{ id: 'd', ...HERE, weight: 1 }], candidates: [{ id: 'c', ...HERE }], p: 1, objective: 'median' }),
      found.tours || probePost(urls.tours(), { base: HERE, stops: [{ id: 's', lon: 2.15, lat: 43.93 }], days: 1 }),
    ]) : [found.sites, found.tours];
    for (const c of cols.collections ?? []) found.collections.add(c.id);
    Object.assign(found, { search, nearest, gaps, sites, tours });
    return found;
  }

  return {
    urls,
    getJSON,
    postJSON,
    config: () => getJSON(urls.config()),
    basemap: (name) => getJSON(urls.basemap(name)),
    layers: async () => (await getJSON(urls.layers())).layers ?? [],
    /** Property names of a collection, from its JSON Schema (null when unknown). */
    fields: async (collection) => {
      const s = await getJSON(urls.schema(collection));
      const names = Object.keys(s?.properties?.properties?.properties ?? {});
      return names.length ? names : null;
    },
    /** One page of a collection (the params say which and how many). */
    page: (collection, params, opts) => getJSON(urls.items(collection, [...params, ['f', 'json']]), opts),
    allItems,
    item: (collection, id, opts) => getJSON(urls.item(collection, id), opts),
    search: async (q, { limit = 10, signal } = {}) => {
      const hits = await getJSON(urls.search(q, limit), { signal });
      return Array.isArray(hits) ? hits : hits.results ?? [];
    },
    nearest: (params, opts) => getJSON(urls.nearest(params), opts),
    commune: (code, opts) => getJSON(urls.commune(code), opts),
    gaps: (body, opts) => postJSON(urls.gaps(), body, opts),
    sites: (body, opts) => postJSON(urls.sites(), body, opts),
    tours: (body, opts) => postJSON(urls.tours(), body, opts),
    features,
  };
}
