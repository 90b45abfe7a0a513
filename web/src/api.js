// Talks to the Maillage server (same origin only). GET layers follow OGC API – Features.

export class ApiError extends Error {
  constructor(status, message, code = '') {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const JSON_TYPES = /application\/(?:[\w.+-]*\+)?json/;

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

/** GET a JSON document; throws ApiError with the server's (French) message on failure. */
export async function getJSON(url, { signal } = {}) {
  const res = await fetch(url, { signal, headers: { Accept: 'application/geo+json, application/json' } });
  if (!res.ok) throw await readError(res);
  if (!JSON_TYPES.test(res.headers.get('content-type') ?? '')) {
    throw new ApiError(404, `réponse non JSON pour ${url}`);
  }
  return res.json();
}

/** POST a JSON body and read the JSON answer. */
export async function postJSON(url, body, { signal } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    signal,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await readError(res);
  return res.json();
}

/** Builds `/collections/{id}/items?…` from a list of [key, value] pairs (values may repeat). */
export function itemsUrl(collection, params = []) {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (v != null && v !== '') q.append(k, String(v));
  const qs = q.toString();
  return `/collections/${encodeURIComponent(collection)}/items${qs ? `?${qs}` : ''}`;
}

/** The same-origin path of a link href (servers may send absolute links). */
function samePath(href) {
  const u = new URL(href, location.href);
  return u.origin === location.origin ? u.pathname + u.search : null;
}

/**
 * Every feature of a query, following `next` links. `onPage(features, page)` is called per page
 * so the map can draw while the rest loads. Returns `{features, numberMatched}`.
 */
export async function fetchAllItems(collection, params, { signal, onPage, maxPages = 200 } = {}) {
  let url = itemsUrl(collection, [...params, ['f', 'json']]);
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
 * Which optional endpoints this server has: those its OpenAPI document (`/api`) lists, else
 * those that answer a small valid request with JSON. A missing GET route falls back to the
 * page's HTML (no error); the POST-only planning routes are probed with a one-point problem.
 */
export async function detectFeatures({ signal } = {}) {
  const found = { search: false, nearest: false, communeSheet: false, gaps: false, sites: false, tours: false, collections: new Set() };
  let paths = {};
  try {
    const doc = await getJSON('/api', { signal });
    paths = doc.paths ?? {};
  } catch {
    // No OpenAPI document yet.
  }
  const listed = (p) => Object.keys(paths).some((k) => k === p || k.startsWith(`${p}/`) || k.startsWith(`${p}{`));
  found.gaps = listed('/api/gaps');
  found.sites = listed('/api/plan/sites');
  found.tours = listed('/api/plan/tours');
  found.search = listed('/api/search');
  found.nearest = listed('/api/nearest');
  found.communeSheet = listed('/api/communes');
  const probe = async (url) => {
    try {
      await getJSON(url, { signal });
      return true;
    } catch {
      return false;
    }
  };
  const probePost = async (url, body) => {
    try {
      await postJSON(url, body, { signal });
      return true;
    } catch {
      return false;
    }
  };
  const here = { lon: 2.148, lat: 43.928 };
  const [cols, search, nearest, gaps] = await Promise.all([
    getJSON('/collections', { signal }).catch(() => ({ collections: [] })),
    found.search || probe('/api/search?q=albi'),
    found.nearest || probe(`/api/nearest?lon=${here.lon}&lat=${here.lat}&k=1`),
    found.gaps || probe('/api/gaps?commune=81004'),
  ]);
  // The planning routes only take POST: probe them only when the gap analysis exists (same
  // generation of the server), with the smallest valid problem.
  const [sites, tours] = gaps ? await Promise.all([
    found.sites || probePost('/api/plan/sites', { demand: [{ id: 'd', ...here, weight: 1 }], candidates: [{ id: 'c', ...here }], p: 1, objective: 'median' }),
    found.tours || probePost('/api/plan/tours', { base: here, stops: [{ id: 's', lon: 2.15, lat: 43.93 }], days: 1 }),
  ]) : [found.sites, found.tours];
  for (const c of cols.collections ?? []) found.collections.add(c.id);
  Object.assign(found, { search, nearest, gaps, sites, tours });
  return found;
}
