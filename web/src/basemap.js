// Offline background: countries from the world-atlas npm package (Natural Earth), drawn from
// files served beside the page. A raster tile layer is added only when the operator configures
// it (config.json `tiles`, or `?tiles=osm` / `?tiles=<url template>` in the page address).

import L from './leaflet.js';
import { feature } from 'topojson-client';

export const OSM_TILES = {
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© contributeurs OpenStreetMap',
  maxZoom: 19,
};

/** The tile configuration in force, or null (the default: no request leaves the server). */
export function tileConfig(config, search = location.search) {
  const q = new URLSearchParams(search).get('tiles');
  if (q === 'osm') return OSM_TILES;
  if (q && /^https?:\/\/[^\s]+\{z\}[^\s]*$/.test(q)) return { url: q, attribution: '', maxZoom: 19 };
  const t = config?.tiles;
  if (t && t.enabled !== false && typeof t.url === 'string' && t.url) {
    return { url: t.url, attribution: t.attribution ?? '', maxZoom: t.maxZoom ?? 19 };
  }
  return null;
}

export class WorldBackground {
  constructor(map, renderer, api) {
    this.map = map;
    this.api = api;
    this.style = { pane: 'worldPane', renderer, interactive: false, color: '#b9c2ca', weight: 0.8, fillColor: '#f4f1ea', fillOpacity: 1 };
    this.detailed = null;
    this.coarse = null;
    this.loading = new Map();
    this.enabled = false;
    map.on('moveend', () => this.enabled && this.update());
  }

  /** Starts drawing (called once the data of the first view is on screen). */
  enable() {
    this.enabled = true;
    return this.update();
  }

  async load(which) {
    if (this[which] || this.loading.has(which)) return this.loading.get(which);
    const p = (async () => {
      let fc;
      if (which === 'coarse') {
        const topo = await this.api.basemap('world-50m.topo.json');
        fc = feature(topo, topo.objects.countries);
      } else {
        fc = await this.api.basemap('europe-10m.geojson');
      }
      this[which] = L.geoJSON(fc, this.style);
    })();
    this.loading.set(which, p);
    return p;
  }

  /** Shows the detailed outline around metropolitan France when zoomed in, the world otherwise. */
  async update() {
    const z = this.map.getZoom();
    const c = this.map.getCenter();
    const metro = c.lat > 35 && c.lat < 56 && c.lng > -12 && c.lng < 20;
    const want = z >= 6 && metro ? 'detailed' : 'coarse';
    try {
      await this.load(want);
    } catch {
      return; // The background is decoration: the map works without it.
    }
    const other = want === 'detailed' ? 'coarse' : 'detailed';
    if (this[other] && this.map.hasLayer(this[other])) this.map.removeLayer(this[other]);
    if (this[want] && !this.map.hasLayer(this[want])) this[want].addTo(this.map);
  }
}
