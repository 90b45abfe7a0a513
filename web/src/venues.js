// Venues of the chosen territory: loaded once per territory, filtered in the browser (so the
// counts update live), drawn as clustered markers coloured by category.

import L from './leaflet.js';
import { ApiError } from './api.js';
import { matches, mainCategory } from './facets.js';
import { asList, esc, isApprox } from './util.js';

// Properties the map, filters and table need; the card fetches the whole feature.
export const LIST_PROPERTIES = [
  'nom', 'adresse', 'complement_adresse', 'code_postal', 'commune', 'code_insee', 'typologie', 'services',
  'publics_specifiquement_adresses', 'frais_a_charge', 'modalites_accompagnement', 'modalites_acces',
  'itinerance', 'dispositif_programmes_nationaux', 'telephone', 'courriels', 'site_web', 'horaires',
  'date_maj', 'source', 'placement', 'commune_insee',
  // Issue 9: what the venue is, where its position comes from, how current it is.
  'kind', 'services_inferred', 'itinerance_state', 'date_maj_kind', 'hours_parsed', 'half_days_per_week',
  'location_flags', 'location_warning',
];

/** Query parameters selecting the venues of a territory. */
export function territoryParams(territory, bbox) {
  if (!territory) return [];
  if (territory.kind === 'dep') return [['departement', territory.code]];
  if (territory.kind === 'epci') return [['epci', territory.code]];
  if (territory.kind === 'com') return [['commune_insee', territory.code]];
  if (bbox) return [['bbox', bbox.map((v) => v.toFixed(5)).join(',')]];
  return [];
}

export class VenueLayer {
  constructor(map, { api, t, onSelect }) {
    this.map = map;
    this.api = api;
    this.t = t;
    this.onSelect = onSelect;
    this.all = [];
    this.filtered = [];
    this.numberMatched = 0;
    this.markers = new Map();
    this.made = new Map();
    this.highlight = null;
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkInterval: 40, // at most 40 ms of clustering per task, so the page stays responsive
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      maxClusterRadius: 48,
      iconCreateFunction: (c) => this.clusterIcon(c),
    });
    // Cluster icons are Leaflet markers: make them buttons with a spoken label.
    this.cluster.on('animationend spiderfied', () => this.labelClusters());
    map.on('zoomend moveend', () => this.labelClusters());
  }

  clusterIcon(cluster) {
    const n = cluster.getChildCount();
    const size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
    return L.divIcon({
      html: `<span data-count="${n}">${n}</span>`,
      className: `marker-cluster marker-cluster-${size}`,
      iconSize: L.point(40, 40),
    });
  }

  labelClusters() {
    for (const node of this.map.getPane('markerPane').querySelectorAll('.marker-cluster')) {
      const n = node.querySelector('[data-count]')?.dataset.count;
      if (n && !node.hasAttribute('aria-label')) {
        node.setAttribute('role', 'button');
        node.setAttribute('aria-label', this.t('venues.clusterLabel', { n }));
        node.removeAttribute('title');
      }
    }
  }

  /** Fetches the venues of a territory (all of France when `territory` is null); see `setData`. */
  async load(territory, bbox, { signal, onProgress } = {}) {
    const base = territoryParams(territory, bbox);
    const pageSize = territory ? 2000 : 5000;
    let result;
    try {
      result = await this.api.allItems('venues', [...base, ['limit', pageSize], ['properties', LIST_PROPERTIES.join(',')]], {
        signal, onPage: (_, page) => onProgress?.(page),
      });
    } catch (e) {
      // A server without some of these properties, or a smaller page maximum: ask plainly.
      if (!(e instanceof ApiError) || e.status !== 400) throw e;
      result = await this.api.allItems('venues', base, { signal, onPage: (_, page) => onProgress?.(page) });
    }
    return result;
  }

  /** Takes the result of `load` as the current set. */
  setData(result) {
    this.all = result.features.filter((f) => f.geometry && f.geometry.type === 'Point');
    this.numberMatched = result.numberMatched;
    this.byId = new Map(this.all.map((f) => [String(f.id), f]));
    this.made = new Map(); // markers made so far, by id: a filter change reuses them
  }

  /** Applies the filters and redraws the markers. */
  apply(filters) {
    this.filtered = this.all.filter((f) => matches(f.properties, filters));
    const markers = [];
    this.markers.clear();
    for (const f of this.filtered) {
      const id = String(f.id);
      let m = this.made.get(id);
      if (!m) {
        m = this.marker(f);
        this.made.set(id, m);
      }
      this.markers.set(id, m);
      markers.push(m);
    }
    this.cluster.clearLayers();
    this.cluster.addLayers(markers);
    return this.filtered;
  }

  marker(f) {
    const p = f.properties;
    const cat = mainCategory(p);
    const approx = isApprox(p);
    const itinerant = asList(p.itinerance).includes('Itinérant');
    const [lon, lat] = f.geometry.coordinates;
    const label = `${p.nom || this.t('venues.unnamed')}${p.commune ? `, ${p.commune}` : ''}${approx ? ` (${this.t('venues.approx')})` : ''}`;
    const icon = L.divIcon({
      className: `venue-marker${approx ? ' approx' : ''}${itinerant ? ' itinerant' : ''}`,
      // The symbol is drawn by CSS (an icon, not a text label): the marker's name is its label.
      html: `<span style="--c:${cat.color}" data-symbol="${esc(cat.symbol)}" aria-hidden="true"></span>`,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
    const m = L.marker([lat, lon], { icon, keyboard: true, title: label, riseOnHover: true });
    m.featureId = String(f.id);
    m.on('add', () => {
      const node = m.getElement();
      if (node) {
        node.setAttribute('role', 'button');
        node.setAttribute('aria-label', label);
        node.dataset.venue = String(f.id);
      }
    });
    m.on('click', () => this.onSelect(f));
    // A focused marker is a button: Enter or Space opens its card.
    m.on('keypress', (e) => {
      const ev = e.originalEvent;
      if (ev.key === 'Enter' || ev.key === ' ' || ev.keyCode === 13) {
        ev.preventDefault();
        this.onSelect(f);
      }
    });
    return m;
  }

  ring(latlng) {
    this.highlight?.remove();
    this.highlight = L.circleMarker(latlng, {
      radius: 20, color: '#000', weight: 3, fill: false, interactive: false, pane: 'highlightPane',
    }).addTo(this.map);
  }

  clearRing() {
    this.highlight?.remove();
    this.highlight = null;
  }
}
