// The map: Leaflet, its panes and layers (world background, tiles, areas, venues), the legend and
// the pick mode. It follows the store: the territory (loads its venues and areas), the layers, the
// IFN choice and level, the filters, the overlay of a tool (gaps), the ring around an opened place.
// It writes back the view (`view`, `bounds`), the venues shown (`shown`), the IFN axes offered.

import L from './leaflet.js';
import { AreaLayer, areaCode, areaName, autoLevel } from './areas.js';
import { WorldBackground, tileConfig } from './basemap.js';
import { CATEGORIES, OTHER, OTHER_CATEGORY } from './facets.js';
import { createT } from './i18n.js';
import { defaultAxis, discoverAxes, legendRows, propertyName, splitAxis, valueOf, MISSING_COLOR } from './ifn.js';
import { formatHash } from './permalink.js';
import { status } from './page.js';
import { changed } from './store.js';
import { chooseTerritory, featureBbox, inTerritory, lookupPlace, placeOf } from './territory.js';
import { VenueLayer } from './venues.js';
import { debounce, el, fill, formatNum } from './util.js';

/** Metropolitan France with Corsica and the Nord, [w, s, e, n]. */
export const METRO_BBOX = [-5.2, 41.3, 9.6, 51.15];
/** The five overseas départements and their boxes (used until the API's list has them). */
export const OVERSEAS = [
  ['971', 'Guadeloupe', [-61.81, 15.83, -61.0, 16.52]],
  ['972', 'Martinique', [-61.23, 14.39, -60.81, 14.88]],
  ['973', 'Guyane', [-54.6, 2.11, -51.6, 5.75]],
  ['974', 'La Réunion', [55.21, -21.39, 55.84, -20.87]],
  ['976', 'Mayotte', [44.98, -13.0, 45.3, -12.64]],
];
const toBounds = (b) => [[b[1], b[0]], [b[3], b[2]]];

/** The venues loaded for the territory and those the filters keep (`shown` in the store). */
export class Shown {
  constructor(all, filtered, byId) {
    this.all = all;
    this.filtered = filtered;
    this.byId = byId;
  }
}

/** The level drawn for a state at a zoom. */
export function levelAt(state, zoom) {
  return state.level === 'auto' ? autoLevel(zoom) : state.level;
}

/** The IFN axis in force: the chosen one, or the model's default when the areas lack it. */
export function ifnAxis(state) {
  const { model, axis } = state.ifn;
  const available = state.ifnAxes[model] ?? [];
  return available.length && !available.includes(axis) ? defaultAxis(model, available) : axis;
}

export class MapView {
  constructor(store, api, config) {
    this.store = store;
    this.api = api;
    this.config = config;
    this.t = createT(() => store.get().lang);
    this.loadSeq = 0;
    this.build();
    store.subscribe((s, prev, meta) => this.onChange(s, prev, meta));
  }

  build() {
    const s = this.store.get();
    const v = s.view ?? this.config.default_view;
    const map = L.map('map', {
      minZoom: 3,
      maxZoom: 18,
      zoomSnap: 0.5,
      keyboard: true,
      attributionControl: true,
      zoomControl: false,
    });
    this.map = map;
    // Without a view in the address or the configuration: all of metropolitan France.
    if (v) map.setView([v.lat, v.lon], v.z);
    else map.fitBounds(toBounds(METRO_BBOX), { animate: false });
    map.attributionControl.setPrefix(false);
    this.setAttribution();
    this.setZoomControl();
    for (const [name, z] of [['worldPane', 150], ['tilesPane', 200], ['areasPane', 300], ['outlinePane', 350], ['gapsPane', 380], ['highlightPane', 640]]) {
      map.createPane(name).style.zIndex = String(z);
    }
    map.getPane('highlightPane').style.pointerEvents = 'none';
    // One canvas per pane, so the stacking order of the panes holds.
    const canvas = L.canvas({ padding: 0.3, pane: 'areasPane' });
    this.world = new WorldBackground(map, L.canvas({ padding: 0.3, pane: 'worldPane' }), this.api);
    const tiles = tileConfig(this.config);
    if (tiles) {
      this.tiles = L.tileLayer(tiles.url, { pane: 'tilesPane', attribution: tiles.attribution, maxZoom: tiles.maxZoom, opacity: 0.85 });
      if (s.layers.has('tuiles') || this.config.tiles?.default_on) this.store.set({ layers: new Set([...s.layers, 'tuiles']) });
    }
    this.areas = new AreaLayer(map, {
      api: this.api,
      pane: 'areasPane',
      renderer: canvas,
      onClick: (level, f) => this.onAreaClick(level, f),
      tooltip: (level, f) => this.areaTooltip(level, f),
    });
    this.outline = new AreaLayer(map, { api: this.api, pane: 'outlinePane', renderer: L.canvas({ padding: 0.3, pane: 'outlinePane' }) });
    this.outline.setStyle({ mode: 'outline' });
    this.outline.styleOf = () => ({ color: '#3d4852', weight: 1.6, fill: false, interactive: false });
    this.venues = new VenueLayer(map, { api: this.api, t: this.t, onSelect: (f) => this.store.set({ venue: String(f.id), commune: null }) });
    // The legend can be folded to its button; it starts folded on small screens.
    this.legend = L.control({ position: 'bottomright' });
    this.legend.onAdd = () => {
      const toggle = el('button', { type: 'button', id: 'legend-toggle', class: 'legend-toggle', 'aria-controls': 'legend', 'aria-expanded': 'true', onclick: () => this.foldLegend(toggle.getAttribute('aria-expanded') === 'true') });
      const wrap = el('div', { class: 'legend-wrap' }, toggle, el('div', { class: 'legend', id: 'legend' }));
      L.DomEvent.disableClickPropagation(wrap);
      L.DomEvent.disableScrollPropagation(wrap);
      return wrap;
    };
    this.legend.addTo(map);
    const small = window.matchMedia('(max-width: 700px), (max-height: 500px)');
    small.addEventListener('change', () => this.foldLegend(small.matches));
    this.foldLegend(small.matches);
    // Printing hides the map and Leaflet keeps the 0×0 size it measured then: measure it again
    // once printing is over (the `afterprint` event, or the print media query turning off).
    const remeasure = () => requestAnimationFrame(() => map.invalidateSize());
    window.addEventListener('afterprint', remeasure);
    window.matchMedia('print').addEventListener('change', (e) => {
      if (!e.matches) remeasure();
    });
    if (s.embed) {
      // Embedded: one way out to the full map, in a new window.
      const full = L.control({ position: 'topright' });
      full.onAdd = () => el('a', { class: 'embed-full', href: `${location.pathname}${formatHash({ ...this.store.get(), embed: false })}`, target: '_blank', rel: 'noopener' },
        this.t('embed.full'), el('span', { class: 'sr-only' }, ` (${this.t('common.newWindow')})`));
      full.addTo(map);
    }
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
    // A jump to metropolitan France or one of the five overseas départements (the view only).
    const jump = L.control({ position: 'topright' });
    jump.onAdd = () => {
      const select = el('select', { id: 'jump-to', onchange: () => this.jumpTo(select.value) });
      const box = el('div', { class: 'jump chrome' }, el('label', { for: 'jump-to', id: 'jump-label' }), select);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    jump.addTo(map);
    this.renderJump();
    this.syncLayers();
    const moved = debounce(() => this.onMoved(), 120);
    map.on('moveend', moved);
    map.on('click', (e) => this.onMapClick(e));
    // Keyboard way to pick a point: the focused map moves with the arrows, Enter picks its centre.
    this.cross = el('div', { class: 'pick-cross', hidden: true, 'aria-hidden': 'true' });
    map.getContainer().append(this.cross);
    map.getContainer().addEventListener('keydown', (e) => {
      const mode = this.store.get().pick;
      if (!mode || e.target !== map.getContainer() || (e.key !== 'Enter' && e.key !== ' ')) return;
      e.preventDefault();
      this.store.set({ pick: null });
      mode.callback(map.getCenter());
    });
    const b = map.getBounds();
    this.store.set({ bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] });
    this.updateLegend();
    // The areas' property lists, asked for now so the first areas request need not wait on them.
    for (const level of ['departements', 'epci', 'communes']) this.areas.fields(level);
  }

  onChange(s, prev, meta) {
    if (changed(meta, 'lang')) {
      this.renderJump();
      this.setAttribution();
      this.setZoomControl();
    }
    if (meta.from === 'hash' && s.view && changed(meta, 'view')) this.map.setView([s.view.lat, s.view.lon], s.view.z);
    if (changed(meta, 'layers')) this.syncLayers();
    if (changed(meta, 'ifn', 'ifnAxes', 'overlay')) this.applyAreaStyle();
    if (changed(meta, 'territory')) this.loadTerritory({ fit: meta.from === 'hash' ? !s.view : meta.fit ?? true });
    else if (changed(meta, 'filters')) this.applyFiltersSoon();
    // A change of model asks for other fields; a move or a change of level for other areas.
    if (changed(meta, 'layers', 'level', 'view') || (changed(meta, 'ifn') && s.ifn.model !== prev.ifn.model)) this.refreshAreas();
    if (changed(meta, 'lang', 'layers', 'ifn', 'ifnAxes', 'level', 'overlay', 'view')) this.updateLegend();
    if (changed(meta, 'pick')) this.showPick(s.pick);
    if (changed(meta, 'ring')) this.showRing(s.ring);
  }

  /** The zoom buttons, titled in the current language. */
  setZoomControl() {
    this.zoomControl?.remove();
    this.zoomControl = L.control.zoom({ position: 'topleft', zoomInTitle: this.t('map.zoomIn'), zoomOutTitle: this.t('map.zoomOut') }).addTo(this.map);
  }

  /** The attribution link to the data sources, in the current language. */
  setAttribution() {
    if (this.attribution) this.map.attributionControl.removeAttribution(this.attribution);
    this.attribution = `<a href="#" data-about="1">${this.t('about.short')}</a>`;
    this.map.attributionControl.addAttribution(this.attribution);
  }

  syncLayers() {
    const layers = this.store.get().layers;
    const has = (id) => layers.has(id);
    const toggle = (layer, on) => {
      if (!layer) return;
      if (on && !this.map.hasLayer(layer)) layer.addTo(this.map);
      if (!on && this.map.hasLayer(layer)) this.map.removeLayer(layer);
    };
    toggle(this.venues.cluster, has('lieux'));
    toggle(this.areas.geo, has('ifn') || has('contours'));
    toggle(this.outline.geo, has('contours') || has('ifn'));
    toggle(this.tiles, has('tuiles'));
    this.applyAreaStyle();
  }

  currentLevel() {
    return levelAt(this.store.get(), this.map.getZoom());
  }

  async refreshAreas() {
    const s = this.store.get();
    if (!(s.layers.has('ifn') || s.layers.has('contours'))) return;
    const level = this.currentLevel();
    try {
      // Département outlines load beside the areas and are not waited for (at the
      // département level the areas are their own outline).
      if (level === 'departements') this.outline.geo.clearLayers();
      else this.outline.refresh('departements').catch(() => {});
      const names = await this.areas.fields(level);
      if (names) this.store.set({ ifnAxes: discoverAxes([{ properties: Object.fromEntries(names.map((n) => [n, null])) }]) });
      const now = this.store.get();
      const feats = await this.areas.refresh(level, { model: now.layers.has('ifn') ? now.ifn.model : null });
      if (!names) {
        const found = discoverAxes(feats);
        if (found['2020'].length || found['2023'].length) this.store.set({ ifnAxes: found });
      }
      // Keep the chosen axis only if the areas have it.
      const after = this.store.get();
      const axis = ifnAxis(after);
      if (axis !== after.ifn.axis) this.store.set({ ifn: { ...after.ifn, axis } });
      this.applyAreaStyle();
      this.updateLegend();
    } catch (e) {
      if (e.name !== 'AbortError') status(this.t('map.areasError', { msg: e.message }), true);
    }
  }

  ifnStyle() {
    const s = this.store.get();
    const { model } = s.ifn;
    const axis = ifnAxis(s);
    return { mode: 'ifn', model, axis, prop: propertyName(this.areas.features, model, axis) };
  }

  applyAreaStyle() {
    const s = this.store.get();
    const base = s.layers.has('ifn') ? this.ifnStyle() : { mode: 'outline' };
    this.areas.setStyle({ ...base, overrides: s.overlay?.overrides });
  }

  renderJump() {
    const select = document.getElementById('jump-to');
    if (!select) return;
    document.getElementById('jump-label').textContent = this.t('map.jump');
    fill(select, el('option', { value: '' }, '…'), el('option', { value: 'metro' }, this.t('map.metro')),
      ...OVERSEAS.map(([code, name]) => el('option', { value: code }, `${name} (${code})`)));
  }

  /** Fits the map to metropolitan France or an overseas département. */
  jumpTo(code) {
    if (!code) return;
    const known = this.store.get().departements.find((d) => d.code === code)?.bbox;
    const bbox = code === 'metro' ? METRO_BBOX : known ?? OVERSEAS.find(([c]) => c === code)?.[2];
    if (bbox) this.map.fitBounds(toBounds(bbox), { animate: false, maxZoom: 11 });
    document.getElementById('jump-to').value = '';
  }

  /** Folds the legend to its button (true) or unfolds it. */
  foldLegend(folded) {
    const toggle = document.getElementById('legend-toggle');
    if (!toggle) return;
    toggle.setAttribute('aria-expanded', String(!folded));
    toggle.textContent = this.t(folded ? 'legend.show' : 'legend.hide');
    toggle.closest('.legend-wrap').classList.toggle('folded', folded);
  }

  updateLegend() {
    const box = document.getElementById('legend');
    if (!box) return;
    const toggle = document.getElementById('legend-toggle');
    toggle.textContent = this.t(toggle.getAttribute('aria-expanded') === 'true' ? 'legend.hide' : 'legend.show');
    const t = this.t;
    const s = this.store.get();
    const parts = [];
    if (s.layers.has('ifn')) {
      const { model, axis } = this.ifnStyle();
      const { axis: a, scale } = splitAxis(model, axis);
      const level = this.currentLevel();
      parts.push(el('div', { class: 'legend-block' },
        el('h2', {}, t(`ifn.model.${model}`)),
        el('p', { class: 'legend-axis' }, t(`ifn.axis.${a}`), scale ? ` — ${t('ifn.ref')} ${t(`ifn.scale.${scale}`)}` : ''),
        el('p', { class: 'muted' }, t(`ifn.unit.${model}`), ' · ', t(`level.${level}`)),
        el('ul', {}, ...legendRows(model, axis, s.lang).map(([c, label]) => el('li', {}, el('span', { class: 'swatch', style: `background:${c}` }), label)),
          el('li', {}, el('span', { class: 'swatch', style: `background:${MISSING_COLOR}` }), t('ifn.missing'))),
        a === 'acces_interfaces_numeriques' ? el('p', { class: 'muted' }, t('ifn.reversed')) : null));
    }
    if (s.overlay) parts.push(s.overlay.legend());
    if (s.layers.has('lieux')) {
      // Keep the symbols list open across redraws if the user opened it.
      const wasOpen = box.querySelector('details.legend-block')?.open ?? false;
      parts.push(el('details', { class: 'legend-block', open: wasOpen },
        el('summary', {}, t('legend.venues')),
        el('ul', {}, ...[...CATEGORIES, OTHER_CATEGORY].map((c) => el('li', {},
          el('span', { class: 'venue-marker legend-marker' }, el('span', { style: `--c:${c.color}` }, c.symbol)),
          t(`cat.${c.id === OTHER ? 'other' : c.id}`))),
        el('li', {}, el('span', { class: 'venue-marker approx legend-marker' }, el('span', { style: '--c:#5c5c5c' }, '•')), t('venues.approx')))));
    }
    fill(box, ...parts);
    box.closest('.legend-wrap').hidden = parts.length === 0;
  }

  areaTooltip(level, f) {
    const s = this.store.get();
    const name = areaName(f);
    if (!s.layers.has('ifn')) return name;
    const st = this.ifnStyle();
    const v = valueOf(f.properties, st.prop, st.model);
    const gap = s.overlay?.tooltip(areaCode(level, f)) ?? '';
    return `${name} — IFN ${st.model} : ${v == null ? this.t('ifn.missing') : formatNum(v, st.model === '2023' ? 1 : 0, s.lang)}${gap}`;
  }

  onAreaClick(level, f) {
    if (this.store.get().pick) return; // The map click handler deals with it.
    if (level === 'communes') this.store.set({ commune: areaCode(level, f), venue: null });
    else if (level === 'epci') this.store.set(chooseTerritory({ kind: 'epci', code: areaCode(level, f), name: areaName(f), bbox: featureBbox(f) }));
    else if (level === 'departements') this.store.set(chooseTerritory({ kind: 'dep', code: areaCode(level, f), name: areaName(f) }));
  }

  onMapClick(e) {
    const mode = this.store.get().pick;
    if (!mode) return;
    this.store.set({ pick: null });
    mode.callback(e.latlng);
  }

  showPick(mode) {
    const box = this.map.getContainer();
    box.classList.toggle('picking', !!mode);
    this.cross.hidden = !mode;
    status(mode ? `${mode.message} ${this.t('map.pickKeys')}` : '');
    if (mode) box.focus({ preventScroll: true });
    for (const b of document.querySelectorAll('[data-pick]')) b.setAttribute('aria-pressed', String(!!mode && b.dataset.pick === mode.id));
  }

  /** Rings an opened place (`{lat, lon, reveal}`: reveal also centres the map on it). */
  showRing(ring) {
    if (!ring) return this.venues.clearRing();
    if (ring.reveal) this.map.setView([ring.lat, ring.lon], Math.max(this.map.getZoom(), ring.zoom ?? 13));
    this.venues.ring([ring.lat, ring.lon]);
  }

  onMoved() {
    const c = this.map.getCenter();
    const b = this.map.getBounds();
    this.store.set({ view: { z: this.map.getZoom(), lat: c.lat, lon: c.lng }, bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] });
  }

  /** Loads the venues of the chosen territory and fits the map to it. */
  async loadTerritory({ fit = true } = {}) {
    const seq = ++this.loadSeq;
    const t = this.t;
    const s = this.store.get();
    const territory = s.territory;
    this.areas.setFocus(territory ? (level, f) => inTerritory(territory, level, f) : null);
    this.outline.setFocus(null);
    status(t('venues.loading'));
    // Venues are selected by attribute: load them while the territory's box is looked up.
    const venues = this.venues.load(territory, null, { onProgress: (page) => page && status(t('venues.loadingPage', { n: page + 1 })) });
    venues.catch(() => {});
    let bbox = placeOf(s)?.bbox ?? null;
    if (territory && !bbox) {
      const found = await lookupPlace(this.api, territory, s.departements);
      if (seq !== this.loadSeq) return;
      if (found) this.store.set({ place: { ...placeOf(this.store.get()), ...territory, ...found } });
      bbox = found?.bbox ?? null;
    }
    if (seq !== this.loadSeq) return;
    if (fit && bbox) this.map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { padding: [12, 12], animate: false });
    else if (fit && !territory) this.map.fitBounds(toBounds(METRO_BBOX), { animate: false });
    const areas = this.refreshAreas();
    let loaded;
    try {
      loaded = await venues;
    } catch (e) {
      if (seq === this.loadSeq) status(t('venues.error', { msg: e.message }), true);
      await areas;
      return;
    }
    if (seq !== this.loadSeq) return;
    this.venues.setData(loaded);
    this.applyFilters();
    await areas;
    status(this.venues.all.length ? '' : t('venues.noneLoaded'));
  }

  /**
   * Applies the filters after the next paint, once for several changes: the pressed button shows
   * at once, the markers, counts and table follow.
   */
  applyFiltersSoon() {
    if (this.filterTimer) return;
    // Three short tasks rather than a long one: markers, then counts and table (`shown`).
    this.filterTimer = requestAnimationFrame(() => setTimeout(() => {
      this.filterTimer = null;
      if (!this.venues.all) return;
      this.venues.apply(this.store.get().filters);
      const { all, filtered, byId } = this.venues;
      setTimeout(() => {
        if (this.venues.filtered === filtered) this.store.set({ shown: new Shown(all, filtered, byId) });
      }, 0);
    }, 0));
  }

  applyFilters() {
    if (!this.venues.all) return;
    this.venues.apply(this.store.get().filters);
    this.store.set({ shown: new Shown(this.venues.all, this.venues.filtered, this.venues.byId) });
  }
}
