// Communes, EPCI and départements drawn from the API with geometry simplified for the zoom
// (`zoom=` parameter): the light vector background when the IFN layer is off, the choropleth
// when it is on. Loaded for the view (padded), cached per level, zoom and box.

import L from './leaflet.js';
import { colorOf, valueOf } from './ifn.js';

/** The level drawn at a zoom in `auto` mode. */
export function autoLevel(zoom) {
  if (zoom < 7) return 'departements';
  if (zoom < 9) return 'epci';
  return 'communes';
}

// Fields kept for every area: codes, names, population, membership.
const IDENTITY = ['code', 'siren', 'nom', 'population', 'departement', 'departements', 'departement_nom', 'epci', 'epci_nom', 'lieux', 'communes'];

// Page sizes within each collection's maximum (the server refuses more).
const PAGE = { communes: 2000, epci: 2000, departements: 200 };

const ID_KEYS = { communes: ['code', 'code_insee'], epci: ['siren', 'code'], departements: ['code'] };

/** The code of an area feature. */
export function areaCode(level, f) {
  for (const k of ID_KEYS[level] ?? ['code']) if (f.properties?.[k] != null) return String(f.properties[k]);
  return String(f.id ?? '');
}

/** The display name of an area feature. */
export function areaName(f) {
  const p = f.properties ?? {};
  return p.nom ?? p.name ?? p.libelle ?? String(f.id ?? '');
}

/** Property names per collection, shared by every area layer of the page (asked for once). */
const SCHEMAS = new Map();

export class AreaLayer {
  constructor(map, { api, pane, renderer, onClick, tooltip }) {
    this.map = map;
    this.api = api;
    this.renderer = renderer;
    this.onClick = onClick;
    this.tooltip = tooltip;
    this.cache = new Map();
    this.features = [];
    this.level = null;
    this.style = null;
    this.geo = L.geoJSON(null, {
      pane,
      renderer,
      style: (f) => this.styleOf(f),
      onEachFeature: (f, layer) => {
        layer.on('click', (e) => this.onClick?.(this.level, f, e));
        if (this.tooltip) layer.bindTooltip(() => this.tooltip(this.level, f), { sticky: true, direction: 'top' });
      },
    });
    this.controller = null;
  }

  /** Sets which areas belong to the chosen territory (`(level, feature) => bool`), or null for all. */
  setFocus(fn) {
    this.focus = fn;
    this.geo.setStyle((f) => this.styleOf(f));
  }

  /** Sets how features are painted: `{mode: 'outline'}` or `{mode: 'ifn', prop, model, axis, overrides}`. */
  setStyle(style) {
    this.style = style;
    this.geo.setStyle((f) => this.styleOf(f));
  }

  styleOf(f) {
    const s = this.style ?? { mode: 'outline' };
    const code = areaCode(this.level, f);
    const over = s.overrides?.get(code);
    if (over) return over;
    // Areas outside the chosen territory are faded.
    const outside = this.focus ? !this.focus(this.level, f) : false;
    if (s.mode === 'ifn') {
      const v = valueOf(f.properties, s.prop, s.model);
      return { color: '#ffffff', weight: this.level === 'communes' ? 0.6 : 1, fillColor: colorOf(v, s.model, s.axis), fillOpacity: outside ? 0.3 : 0.8, opacity: outside ? 0.5 : 1 };
    }
    return { color: '#8a94a0', weight: this.level === 'communes' ? 0.5 : 0.9, fill: true, fillColor: '#ffffff', fillOpacity: outside ? 0.15 : 0.5 };
  }

  /** Property names of a collection, from its JSON Schema (null when unknown). */
  async fields(level) {
    if (!SCHEMAS.has(level)) {
      SCHEMAS.set(level, this.api.fields(level).catch(() => null));
    }
    return SCHEMAS.get(level);
  }

  /**
   * Loads and draws `level` for the current view. Only the identity fields and the IFN fields
   * of `model` are asked for (when the collection's schema is known). Resolves to the features.
   */
  async refresh(level, { filterParams = [], model = null } = {}) {
    // Geometry simplified one zoom level coarser than the view: at most a pixel of error.
    const z = Math.max(0, Math.min(18, Math.round(this.map.getZoom()) - 1));
    let params;
    const limit = PAGE[level] ?? 1000;
    if (z < 6) {
      params = [['zoom', Math.min(z, 8)], ['limit', limit]];
    } else {
      const b = this.map.getBounds().pad(0.1);
      // Snap the box outwards to a grid of quarter tiles so small pans hit the cache.
      const step = 360 / 2 ** (z + 1);
      const snap = (v, f) => Math.round(f(v / step) * step * 1e5) / 1e5;
      const bbox = [snap(b.getWest(), Math.floor), snap(b.getSouth(), Math.floor), snap(b.getEast(), Math.ceil), snap(b.getNorth(), Math.ceil)];
      params = [['bbox', bbox.join(',')], ['zoom', z], ['limit', limit]];
    }
    params.push(...filterParams);
    const names = await this.fields(level);
    if (names) {
      const keep = names.filter((n) => IDENTITY.includes(n) || (model ? n.startsWith(`ifn${model}_`) : false));
      params.push(['properties', keep.join(',')]);
    }
    const key = `${level}|${JSON.stringify(params)}`;
    // The same request already on its way (a move that did not change the box): share it.
    if (this.pending?.key === key) return this.pending.promise;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const promise = (async () => {
      let features = this.cache.get(key);
      if (!features) {
        features = (await this.api.allItems(level, params, { signal: controller.signal })).features;
        this.cache.set(key, features);
        if (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value);
      }
      if (controller.signal.aborted) return this.features;
      this.level = level;
      this.features = features;
      this.geo.clearLayers();
      this.geo.addData(features);
      return features;
    })();
    this.pending = { key, promise };
    try {
      return await promise;
    } finally {
      if (this.pending?.promise === promise) this.pending = null;
    }
  }

  /** Forgets cached pages (after a change of server-side parameters). */
  clearCache() {
    this.cache.clear();
  }
}
