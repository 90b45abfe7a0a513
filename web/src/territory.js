// The territory: which one is chosen (`territory` in the store, a permalink key), what is known of
// it (`place`: name and box), the list of départements, the territory panel and the search box.

import L from './leaflet.js';
import { areaCode, areaName } from './areas.js';
import { createT } from './i18n.js';
import { SearchBox } from './search.js';
import { changed } from './store.js';
import { el, fill } from './util.js';

/** `dep:81`, `epci:248100737`, `com:81004` → `{kind, code}` (else null). */
export function parseTerritory(text) {
  const m = /^(dep|epci|com):(\w+)$/.exec(String(text ?? ''));
  return m ? { kind: m[1], code: m[2] } : null;
}

/** Whether an area feature lies in the territory (unknown: yes). */
export function inTerritory(tr, level, f) {
  const p = f.properties ?? {};
  const code = areaCode(level, f);
  if (tr.kind === 'dep') {
    if (level === 'departements') return code === tr.code;
    if (level === 'epci') return p.departements == null || String(p.departements).split('|').includes(tr.code);
    return p.departement == null || String(p.departement) === tr.code;
  }
  if (tr.kind === 'epci') {
    if (level === 'epci') return code === tr.code;
    if (level === 'communes') return p.epci == null || String(p.epci) === tr.code;
    return true;
  }
  if (tr.kind === 'com') return level !== 'communes' || code === tr.code;
  return true;
}

/** Attribute filters selecting a territory in a collection (none when the layer cannot express it). */
export function territoryFilter(layer, tr) {
  const table = {
    dep: { venues: 'departement', communes: 'departement', 'town-halls': 'departement', gaps: 'departement', epci: 'departements', departements: 'code' },
    epci: { venues: 'epci', communes: 'epci', 'town-halls': 'epci', gaps: 'epci', epci: 'siren' },
    com: { venues: 'commune_insee', communes: 'code', 'town-halls': 'code', gaps: 'code' },
  };
  const field = table[tr.kind]?.[layer];
  return field ? [[field, tr.code]] : [];
}

export function communeDepartement(code) {
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

export function featureBbox(f) {
  if (Array.isArray(f.bbox) && f.bbox.length === 4) return f.bbox;
  if (!f.geometry) return null;
  const b = L.geoJSON(f).getBounds();
  return b.isValid() ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : null;
}

/** What is known of the chosen territory (`place`), when it is about that territory. */
export function placeOf(state) {
  const tr = state.territory;
  const p = state.place;
  return tr && p && p.kind === tr.kind && p.code === tr.code ? p : null;
}

/** "Département Tarn (81)", or France. */
export function territoryLabel(state, t) {
  const tr = state.territory;
  if (!tr) return t('territory.france');
  const name = placeOf(state)?.name ?? state.departements.find((d) => d.code === tr.code)?.name;
  return `${t(`territory.kind.${tr.kind}`)} ${name ? `${name} (${tr.code})` : tr.code}`;
}

/** A store patch choosing a territory (null: France), with what is known of it. */
export function chooseTerritory(place) {
  return { territory: place ? { kind: place.kind, code: place.code } : null, place: place ?? null };
}

/**
 * The box of a territory: the département list's, else the search's (which also gives the name),
 * else the département's outline. Resolves to `{bbox, name?}` or null.
 */
export async function lookupPlace(api, territory, departements) {
  if (territory.kind === 'dep') {
    const d = departements.find((x) => x.code === territory.code);
    if (d?.bbox) return { bbox: d.bbox };
  }
  try {
    const hits = await api.search(territory.code, { limit: 50 });
    const kind = { dep: 'departement', epci: 'epci', com: 'commune' }[territory.kind];
    const hit = hits.find((h) => h.kind === kind && h.code === territory.code);
    if (hit) return { name: hit.name, bbox: hit.bbox ?? null };
  } catch {
    // No search endpoint: fall back to the département outline below.
  }
  if (territory.kind === 'dep') {
    try {
      const fc = await api.page('departements', [['code', territory.code], ['zoom', 5]]);
      const f = fc.features?.[0];
      if (f) return { bbox: featureBbox(f) };
    } catch {
      return null;
    }
  }
  return null;
}

/** The territory panel, the list of départements and the search box. */
export class TerritoryView {
  constructor(store, api, map) {
    this.store = store;
    this.api = api;
    this.map = map;
    this.t = createT(() => store.get().lang);
    this.search = new SearchBox(document.querySelector('form.search'), { api, t: this.t, onPick: (hit) => this.onSearchPick(hit) });
    store.subscribe((s, prev, meta) => {
      if (changed(meta, 'territory', 'place', 'departements', 'lang')) this.render();
    });
    this.render();
  }

  async loadDepartements() {
    try {
      const fc = await this.api.page('departements', [['zoom', 3], ['limit', 200], ['properties', 'code,nom']]);
      const departements = (fc.features ?? []).map((f) => ({ code: areaCode('departements', f), name: areaName(f), bbox: featureBbox(f) }))
        .sort((a, b) => a.code.localeCompare(b.code));
      this.store.set({ departements });
    } catch {
      this.store.set({ departements: [] });
    }
  }

  onSearchPick(hit) {
    const kind = { departement: 'dep', epci: 'epci', commune: 'com' }[hit.kind];
    const s = this.store.get();
    if (kind === 'com') {
      if (hit.bbox) this.map.fitBounds([[hit.bbox[1], hit.bbox[0]], [hit.bbox[3], hit.bbox[2]]], { maxZoom: 13 });
      const dep = communeDepartement(hit.code);
      const move = !s.territory || (s.territory.kind === 'dep' && s.territory.code !== dep);
      this.store.set({ ...(move ? chooseTerritory({ kind: 'dep', code: dep }) : {}), commune: hit.code, venue: null }, { fit: false });
    } else if (kind) {
      this.store.set(chooseTerritory({ kind, code: hit.code, name: hit.name, bbox: hit.bbox }));
    }
  }

  render() {
    const box = document.getElementById('territory');
    const t = this.t;
    const s = this.store.get();
    const current = s.territory;
    const select = el('select', { id: 'territory-select' },
      el('option', { value: '' }, t('territory.france')),
      ...s.departements.map((d) => el('option', { value: d.code, selected: current?.kind === 'dep' && current.code === d.code }, `${d.code} – ${d.name}`)));
    if (current && current.kind !== 'dep') select.prepend(el('option', { value: `${current.kind}:${current.code}`, selected: true }, territoryLabel(s, t)));
    select.addEventListener('change', () => {
      const v = select.value;
      if (!v) this.store.set(chooseTerritory(null));
      else if (v.includes(':')) return;
      else this.store.set(chooseTerritory({ kind: 'dep', code: v, name: s.departements.find((d) => d.code === v)?.name }));
    });
    const focused = document.activeElement?.id === 'territory-select';
    fill(box,
      el('h2', {}, t('territory.title')),
      el('p', { class: 'territory-name', id: 'territory-name' }, territoryLabel(s, t)),
      el('label', { for: 'territory-select' }, t('territory.choose')), select);
    if (focused) select.focus();
  }
}
