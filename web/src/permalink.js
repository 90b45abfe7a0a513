// The URL hash holds the view, layers and filters, so a map can be shared or embedded:
// #carte=10/43.9280/2.1480&territoire=dep:81&couches=lieux,ifn&ifn=2023:total&niveau=auto
//   &categorie=france-services|__autres__&services=…&lieu=123&commune=81004&lang=en&embed=1

import { FACETS } from './facets.js';

export const DEFAULT_LAYERS = ['lieux', 'ifn', 'contours'];

/** A fresh state with the defaults. */
export function defaultState() {
  return {
    view: null, // {z, lat, lon}
    territory: null, // {kind: 'dep'|'epci'|'com', code}
    layers: new Set(DEFAULT_LAYERS),
    ifn: { model: '2023', axis: 'total' },
    level: 'auto',
    filters: Object.fromEntries(FACETS.map((f) => [f.id, new Set()])),
    tableInView: true,
    venue: null,
    commune: null,
    lang: null,
    embed: false,
  };
}

/** Reads a state from a hash string (with or without the leading `#`). Unknown keys are ignored. */
export function parseHash(hash, base = defaultState()) {
  const s = base;
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const carte = /^(\d{1,2}(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(params.get('carte') ?? '');
  if (carte) {
    const [z, lat, lon] = carte.slice(1).map(Number);
    if (z >= 0 && z <= 20 && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) s.view = { z, lat, lon };
  }
  const terr = /^(dep|epci|com):([0-9A-Za-z]{2,9})$/.exec(params.get('territoire') ?? '');
  if (terr) s.territory = { kind: terr[1], code: terr[2] };
  if (params.get('territoire') === 'france') s.territory = null;
  if (params.has('couches')) {
    s.layers = new Set(params.get('couches').split(',').filter(Boolean));
  }
  const ifn = /^(2020|2023):([a-z0-9_]+)$/.exec(params.get('ifn') ?? '');
  if (ifn) s.ifn = { model: ifn[1], axis: ifn[2] };
  const level = params.get('niveau');
  if (['auto', 'communes', 'epci', 'departements'].includes(level)) s.level = level;
  for (const f of FACETS) {
    const raw = params.get(f.id);
    if (raw) s.filters[f.id] = new Set(raw.split('|').filter((v) => f.values.includes(v)));
  }
  if (params.get('tableau') === 'tout') s.tableInView = false;
  if (/^[\w.:#-]{1,120}$/.test(params.get('lieu') ?? '')) s.venue = params.get('lieu');
  if (/^[0-9][0-9AB][0-9]{3}$/.test(params.get('commune') ?? '')) s.commune = params.get('commune');
  if (['fr', 'en'].includes(params.get('lang'))) s.lang = params.get('lang');
  if (params.get('embed') === '1') s.embed = true;
  return s;
}

/** Writes a state as a hash string (with the leading `#`). Defaults are left out to keep it short. */
export function formatHash(s) {
  const parts = [];
  const enc = (v) => encodeURIComponent(v).replace(/%2C/g, ',').replace(/%7C/g, '|').replace(/%3A/g, ':').replace(/%2F/g, '/');
  if (s.view) parts.push(`carte=${Math.round(s.view.z * 100) / 100}/${s.view.lat.toFixed(4)}/${s.view.lon.toFixed(4)}`);
  if (s.territory) parts.push(`territoire=${s.territory.kind}:${s.territory.code}`);
  const layers = [...s.layers].sort();
  if (layers.join(',') !== [...DEFAULT_LAYERS].sort().join(',')) parts.push(`couches=${layers.join(',')}`);
  if (s.ifn.model !== '2023' || s.ifn.axis !== 'total') parts.push(`ifn=${s.ifn.model}:${s.ifn.axis}`);
  if (s.level !== 'auto') parts.push(`niveau=${s.level}`);
  for (const f of FACETS) {
    const v = s.filters[f.id];
    if (v && v.size) parts.push(`${f.id}=${enc([...v].join('|'))}`);
  }
  if (!s.tableInView) parts.push('tableau=tout');
  if (s.venue) parts.push(`lieu=${enc(s.venue)}`);
  if (s.commune) parts.push(`commune=${s.commune}`);
  if (s.lang && s.lang !== 'fr') parts.push(`lang=${s.lang}`);
  if (s.embed) parts.push('embed=1');
  return parts.length ? `#${parts.join('&')}` : '';
}
