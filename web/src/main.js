// Maillage web map: wiring of the map, the panels, the table and the side panel.

import L from './leaflet.js';
import './leaflet-plugins.js';
import './style.css';
import { ApiError, detectFeatures, getJSON, itemsUrl } from './api.js';
import { AreaLayer, areaCode, areaName, autoLevel } from './areas.js';
import { WorldBackground, tileConfig } from './basemap.js';
import { communeSheet, nearestList, venueCard } from './detail.js';
import { FACETS, OTHER, CATEGORIES, OTHER_CATEGORY, countFacets, hasClientOnlyFilters, serverFilters } from './facets.js';
import { createT, detectLang } from './i18n.js';
import { defaultAxis, discoverAxes, legendRows, propertyName, splitAxis, valueOf, MISSING_COLOR } from './ifn.js';
import { defaultState, formatHash, parseHash } from './permalink.js';
import { SearchBox } from './search.js';
import { VenueTable } from './table.js';
import { VenueLayer } from './venues.js';
import { GapTool } from './gaps.js';
import { PlanTool } from './plan.js';
import { debounce, el, fill, formatInt, formatNum } from './util.js';

const FRANCE_VIEW = { lat: 46.6, lon: 2.4, z: 6 };

class App {
  constructor() {
    this.state = parseHash(location.hash, defaultState());
    this.lang = this.state.lang ?? detectLang();
    this.t = createT(() => this.lang);
    this.features = { collections: new Set() };
    this.departements = [];
    this.territoryInfo = null;
    this.ifnAxes = { 2020: [], 2023: [] };
    this.detailRender = null;
    this.pickMode = null;
    this.loadSeq = 0;
  }

  async start() {
    performance.mark('maillage:start');
    const embed = this.state.embed || new URLSearchParams(location.search).has('embed');
    this.state.embed = embed;
    document.body.classList.toggle('embed', embed);
    document.body.dataset.state = 'loading';
    this.config = await getJSON('config.json').catch(() => ({}));
    this.applyStatic();
    this.buildMap();
    // The areas' property lists, asked for now so the first areas request need not wait on them.
    for (const level of ['departements', 'epci', 'communes']) this.areas.fields(level);
    this.buildPanels();
    window.addEventListener('hashchange', () => this.onHashChange());
    const firstTerritory = this.state.territory ?? parseTerritory(this.config.default_territory);
    const departements = this.loadDepartements();
    await this.setTerritory(firstTerritory, { fit: !this.state.view, initial: true });
    // First meaningful paint: venues and areas of the territory drawn, from navigation start.
    performance.mark('maillage:first-paint');
    performance.measure('maillage:first-meaningful-paint', { start: 0, end: 'maillage:first-paint' });
    await departements;
    document.body.dataset.state = 'ready';
    this.world.enable();
    if (this.state.venue) this.openVenueById(this.state.venue);
    else if (this.state.commune) this.openCommune(this.state.commune);
    this.features = await detectFeatures().catch(() => this.features);
    this.renderTools();
    this.renderExport();
  }

  // ---------- language ----------

  applyStatic() {
    const t = this.t;
    document.documentElement.lang = this.lang;
    document.title = t('app.title');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-attr]')) {
      for (const pair of node.dataset.i18nAttr.split(';')) {
        const [attr, key] = pair.split(':');
        node.setAttribute(attr, t(key));
      }
    }
    const btn = document.getElementById('btn-lang');
    btn.textContent = this.lang === 'fr' ? 'English' : 'Français';
    btn.lang = this.lang === 'fr' ? 'en' : 'fr';
    btn.setAttribute('aria-label', this.lang === 'fr' ? 'Switch to English' : 'Passer en français');
  }

  switchLang() {
    this.lang = this.lang === 'fr' ? 'en' : 'fr';
    this.state.lang = this.lang;
    try {
      localStorage.setItem('maillage-lang', this.lang);
    } catch {
      // Private mode: the hash still carries the language.
    }
    this.applyStatic();
    this.setAttribution();
    this.setZoomControl();
    this.buildPanels();
    this.renderTools();
    this.renderExport();
    this.refreshCounts();
    this.updateLegend();
    this.detailRender?.();
    this.writeHash();
  }

  // ---------- map ----------

  buildMap() {
    const v = this.state.view ?? this.config.default_view ?? FRANCE_VIEW;
    const map = L.map('map', {
      center: [v.lat, v.lon],
      zoom: v.z,
      minZoom: 3,
      maxZoom: 18,
      zoomSnap: 0.5,
      keyboard: true,
      attributionControl: true,
      zoomControl: false,
    });
    this.map = map;
    map.attributionControl.setPrefix(false);
    this.setAttribution();
    this.setZoomControl();
    for (const [name, z] of [['worldPane', 150], ['tilesPane', 200], ['areasPane', 300], ['outlinePane', 350], ['gapsPane', 380], ['highlightPane', 640]]) {
      map.createPane(name).style.zIndex = String(z);
    }
    map.getPane('highlightPane').style.pointerEvents = 'none';
    // One canvas per pane, so the stacking order of the panes holds.
    const canvas = L.canvas({ padding: 0.3, pane: 'areasPane' });
    this.world = new WorldBackground(map, L.canvas({ padding: 0.3, pane: 'worldPane' }));
    const tiles = tileConfig(this.config);
    if (tiles) {
      this.tiles = L.tileLayer(tiles.url, { pane: 'tilesPane', attribution: tiles.attribution, maxZoom: tiles.maxZoom, opacity: 0.85 });
      if (this.state.layers.has('tuiles') || this.config.tiles?.default_on) this.state.layers.add('tuiles');
    }
    this.areas = new AreaLayer(map, {
      pane: 'areasPane',
      renderer: canvas,
      onClick: (level, f) => this.onAreaClick(level, f),
      tooltip: (level, f) => this.areaTooltip(level, f),
    });
    this.outline = new AreaLayer(map, { pane: 'outlinePane', renderer: L.canvas({ padding: 0.3, pane: 'outlinePane' }) });
    this.outline.setStyle({ mode: 'outline' });
    this.outline.styleOf = () => ({ color: '#3d4852', weight: 1.6, fill: false, interactive: false });
    this.venues = new VenueLayer(map, { t: this.t, onSelect: (f) => this.openVenue(f) });
    this.legend = L.control({ position: 'bottomright' });
    this.legend.onAdd = () => el('div', { class: 'legend', id: 'legend' });
    this.legend.addTo(map);
    if (this.state.embed) {
      // Embedded: one way out to the full map, in a new window.
      const full = L.control({ position: 'topright' });
      full.onAdd = () => el('a', { class: 'embed-full', href: `${location.pathname}${formatHash({ ...this.state, embed: false })}`, target: '_blank', rel: 'noopener' },
        this.t('embed.full'), el('span', { class: 'sr-only' }, ` (${this.t('common.newWindow')})`));
      full.addTo(map);
    }
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
    this.syncLayers();
    const moved = debounce(() => this.onMoved(), 120);
    map.on('moveend', moved);
    map.on('click', (e) => this.onMapClick(e));
    map.getContainer().addEventListener('click', (e) => {
      const a = e.target.closest('[data-about]');
      if (a) {
        e.preventDefault();
        this.openAbout();
      }
    });
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
    const has = (id) => this.state.layers.has(id);
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
    this.updateLegend();
  }

  currentLevel() {
    return this.state.level === 'auto' ? autoLevel(this.map.getZoom()) : this.state.level;
  }

  async refreshAreas() {
    if (!(this.state.layers.has('ifn') || this.state.layers.has('contours'))) return;
    const level = this.currentLevel();
    try {
      // Département outlines load beside the areas and are not waited for (at the
      // département level the areas are their own outline).
      if (level === 'departements') this.outline.geo.clearLayers();
      else this.outline.refresh('departements').catch(() => {});
      const names = await this.areas.fields(level);
      if (names) this.ifnAxes = discoverAxes([{ properties: Object.fromEntries(names.map((n) => [n, null])) }]);
      const feats = await this.areas.refresh(level, { model: this.state.layers.has('ifn') ? this.state.ifn.model : null });
      if (!names) {
        const found = discoverAxes(feats);
        if (found['2020'].length || found['2023'].length) this.ifnAxes = found;
      }
      this.renderAxisChoices();
      this.applyAreaStyle();
      this.updateLegend();
    } catch (e) {
      if (e.name !== 'AbortError') this.status(this.t('map.areasError', { msg: e.message }), true);
    }
  }

  ifnStyle() {
    const { model } = this.state.ifn;
    const available = this.ifnAxes[model] ?? [];
    let axis = this.state.ifn.axis;
    if (available.length && !available.includes(axis)) {
      axis = defaultAxis(model, available);
      this.state.ifn.axis = axis;
    }
    return { mode: 'ifn', model, axis, prop: propertyName(this.areas.features, model, axis) };
  }

  applyAreaStyle() {
    const base = this.state.layers.has('ifn') ? this.ifnStyle() : { mode: 'outline' };
    this.areas.setStyle({ ...base, overrides: this.gapTool?.overrides() });
  }

  updateLegend() {
    const box = document.getElementById('legend');
    if (!box) return;
    const t = this.t;
    const parts = [];
    if (this.state.layers.has('ifn')) {
      const { model, axis } = this.ifnStyle();
      const { axis: a, scale } = splitAxis(model, axis);
      const level = this.currentLevel();
      parts.push(el('div', { class: 'legend-block' },
        el('h2', {}, t(`ifn.model.${model}`)),
        el('p', { class: 'legend-axis' }, t(`ifn.axis.${a}`), scale ? ` — ${t('ifn.ref')} ${t(`ifn.scale.${scale}`)}` : ''),
        el('p', { class: 'muted' }, t(`ifn.unit.${model}`), ' · ', t(`level.${level}`)),
        el('ul', {}, ...legendRows(model, axis, this.lang).map(([c, label]) => el('li', {}, el('span', { class: 'swatch', style: `background:${c}` }), label)),
          el('li', {}, el('span', { class: 'swatch', style: `background:${MISSING_COLOR}` }), t('ifn.missing'))),
        a === 'acces_interfaces_numeriques' ? el('p', { class: 'muted' }, t('ifn.reversed')) : null));
    }
    if (this.gapTool?.active) parts.push(this.gapTool.legend());
    if (this.state.layers.has('lieux')) {
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
    box.hidden = parts.length === 0;
  }

  areaTooltip(level, f) {
    const name = areaName(f);
    if (!this.state.layers.has('ifn')) return name;
    const s = this.ifnStyle();
    const v = valueOf(f.properties, s.prop, s.model);
    const gap = this.gapTool?.tooltip(areaCode(level, f)) ?? '';
    return `${name} — IFN ${s.model} : ${v == null ? this.t('ifn.missing') : formatNum(v, s.model === '2023' ? 1 : 0, this.lang)}${gap}`;
  }

  onAreaClick(level, f, e) {
    if (this.pickMode) return; // The map click handler deals with it.
    if (level === 'communes') this.openCommune(areaCode(level, f));
    else if (level === 'epci') this.setTerritory({ kind: 'epci', code: areaCode(level, f), name: areaName(f), bbox: featureBbox(f) });
    else if (level === 'departements') this.setTerritory({ kind: 'dep', code: areaCode(level, f), name: areaName(f) });
    void e;
  }

  onMapClick(e) {
    if (!this.pickMode) return;
    const mode = this.pickMode;
    this.setPickMode(null);
    mode.callback(e.latlng);
  }

  setPickMode(mode) {
    this.pickMode = mode;
    this.map.getContainer().classList.toggle('picking', !!mode);
    if (mode) this.status(mode.message);
    else this.status('');
    for (const b of document.querySelectorAll('[data-pick]')) b.setAttribute('aria-pressed', String(!!mode && b.dataset.pick === mode.id));
  }

  onMoved() {
    const c = this.map.getCenter();
    this.state.view = { z: this.map.getZoom(), lat: c.lat, lon: c.lng };
    this.writeHash();
    this.refreshTable();
    this.updateLegend();
    this.refreshAreas();
  }

  status(text, isError = false) {
    const s = document.getElementById('map-status');
    s.textContent = text;
    s.classList.toggle('error', isError);
    s.hidden = !text;
  }

  // ---------- territory and venues ----------

  async loadDepartements() {
    try {
      const fc = await getJSON(itemsUrl('departements', [['zoom', 3], ['limit', 200], ['properties', 'code,nom'], ['f', 'json']]));
      this.departements = (fc.features ?? []).map((f) => ({ code: areaCode('departements', f), name: areaName(f), bbox: featureBbox(f) }))
        .sort((a, b) => a.code.localeCompare(b.code));
      this.renderTerritory();
    } catch {
      this.departements = [];
    }
  }

  territoryLabel() {
    const tr = this.state.territory;
    if (!tr) return this.t('territory.france');
    const name = this.territoryInfo?.name ?? this.departements.find((d) => d.code === tr.code)?.name;
    return `${this.t(`territory.kind.${tr.kind}`)} ${name ? `${name} (${tr.code})` : tr.code}`;
  }

  async setTerritory(territory, { fit = true, initial = false } = {}) {
    const seq = ++this.loadSeq;
    this.state.territory = territory ? { kind: territory.kind, code: territory.code } : null;
    this.territoryInfo = territory;
    this.areas.setFocus(territory ? (level, f) => inTerritory(territory, level, f) : null);
    this.outline.setFocus(null);
    if (!initial) this.writeHash();
    this.renderTerritory();
    this.status(this.t('venues.loading'));
    // Venues are selected by attribute: load them while the territory's box is looked up.
    const venues = this.venues.load(territory, null, { onProgress: (page) => page && this.status(this.t('venues.loadingPage', { n: page + 1 })) });
    venues.catch(() => {});
    let bbox = territory?.bbox ?? null;
    if (territory && !bbox) bbox = await this.territoryBbox(territory);
    if (seq !== this.loadSeq) return;
    if (fit && bbox) this.map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { padding: [12, 12], animate: false });
    else if (fit && !territory) this.map.setView([FRANCE_VIEW.lat, FRANCE_VIEW.lon], FRANCE_VIEW.z);
    const areas = this.refreshAreas();
    let loaded;
    try {
      loaded = await venues;
    } catch (e) {
      if (seq === this.loadSeq) this.status(this.t('venues.error', { msg: e.message }), true);
      await areas;
      return;
    }
    if (seq !== this.loadSeq) return;
    this.venues.setData(loaded);
    this.applyFilters();
    await areas;
    this.status(this.venues.all.length ? '' : this.t('venues.noneLoaded'));
  }

  async territoryBbox(territory) {
    if (territory.kind === 'dep') {
      const d = this.departements.find((x) => x.code === territory.code);
      if (d?.bbox) return d.bbox;
    }
    try {
      const hits = await getJSON(`/api/search?q=${encodeURIComponent(territory.code)}&limit=50`);
      const kind = { dep: 'departement', epci: 'epci', com: 'commune' }[territory.kind];
      const hit = (Array.isArray(hits) ? hits : []).find((h) => h.kind === kind && h.code === territory.code);
      if (hit) {
        this.territoryInfo = { ...territory, name: hit.name, bbox: hit.bbox };
        this.renderTerritory();
        return hit.bbox ?? null;
      }
    } catch {
      // No search endpoint: fall back to the département outline below.
    }
    if (territory.kind === 'dep') {
      try {
        const fc = await getJSON(itemsUrl('departements', [['code', territory.code], ['zoom', 5], ['f', 'json']]));
        const f = fc.features?.[0];
        if (f) return featureBbox(f);
      } catch {
        return null;
      }
    }
    return null;
  }

  applyFilters() {
    this.venues.apply(this.state.filters);
    this.refreshCounts();
    this.refreshTable();
  }

  refreshCounts() {
    const counts = countFacets(this.venues.all, this.state.filters);
    for (const f of FACETS) {
      for (const v of f.values) {
        const b = document.querySelector(`button[data-facet="${f.id}"][data-value="${cssEscape(v)}"]`);
        if (!b) continue;
        const n = counts[f.id][v] ?? 0;
        b.querySelector('.count').textContent = formatInt(n, this.lang);
        b.classList.toggle('empty', n === 0);
      }
    }
    const summary = document.getElementById('filter-summary');
    if (summary) {
      summary.textContent = this.t('filters.summary', {
        shown: formatInt(this.venues.filtered.length, this.lang),
        total: formatInt(this.venues.all.length, this.lang),
      });
      summary.dataset.shown = String(this.venues.filtered.length);
      summary.dataset.total = String(this.venues.all.length);
    }
  }

  refreshTable() {
    if (!this.table) return;
    const inView = this.state.tableInView;
    const rows = inView ? this.venues.inBounds(this.venues.filtered, this.map.getBounds()) : this.venues.filtered;
    this.table.set(rows);
    const title = document.getElementById('table-title');
    title.textContent = this.t(inView ? 'table.titleInView' : 'table.titleAll', { n: formatInt(rows.length, this.lang) });
    title.dataset.count = String(rows.length);
  }

  // ---------- side panel ----------

  showDetail(render, { focus = true } = {}) {
    this.detailRender = () => {
      const node = render();
      fill(document.getElementById('detail-body'), node);
      return node;
    };
    const panel = document.getElementById('detail');
    if (!panel.hidden) this.lastFocus ??= document.activeElement;
    else this.lastFocus = document.activeElement;
    panel.hidden = false;
    document.body.classList.add('has-detail');
    const node = this.detailRender();
    this.map.invalidateSize();
    if (focus) node.querySelector('h2')?.focus();
  }

  closeDetail() {
    const panel = document.getElementById('detail');
    panel.hidden = true;
    document.body.classList.remove('has-detail');
    this.detailRender = null;
    this.state.venue = null;
    this.state.commune = null;
    this.venues.clearRing();
    this.writeHash();
    this.map.invalidateSize();
    if (this.lastFocus && document.contains(this.lastFocus)) this.lastFocus.focus();
  }

  async openVenue(f, { reveal = false } = {}) {
    this.state.venue = String(f.id);
    this.state.commune = null;
    this.writeHash();
    const [lon, lat] = f.geometry.coordinates;
    this.venues.ring([lat, lon]);
    if (reveal) this.venues.reveal(f);
    const render = (feat) => () => venueCard(feat, this.t, this.lang, {
      onCommune: (code) => this.openCommune(code),
      onRemove: this.gapTool?.active ? (v) => this.gapTool.removeVenue(v) : null,
    });
    this.showDetail(render(f));
    // The list holds a subset of the fields: fetch the whole feature for the card.
    try {
      const full = await getJSON(`/collections/venues/items/${encodeURIComponent(f.id)}?f=json`);
      if (this.state.venue === String(f.id)) this.showDetail(render({ ...f, properties: { ...f.properties, ...full.properties } }), { focus: false });
    } catch {
      // The subset is enough to show the card.
    }
  }

  async openVenueById(id) {
    const f = this.venues.byId?.get(String(id));
    if (f) return this.openVenue(f, { reveal: true });
    try {
      const full = await getJSON(`/collections/venues/items/${encodeURIComponent(id)}?f=json`);
      return this.openVenue(full, { reveal: true });
    } catch {
      this.status(this.t('venues.notFound', { id }), true);
      return null;
    }
  }

  async openCommune(code) {
    this.state.commune = code;
    this.state.venue = null;
    this.writeHash();
    this.showDetail(() => el('p', { class: 'muted' }, this.t('common.loading')));
    try {
      const sheet = await getJSON(`/api/communes/${encodeURIComponent(code)}`);
      if (this.state.commune !== code) return;
      this.showDetail(() => communeSheet(sheet, this.t, this.lang, { onVenue: (v) => this.openVenueById(v.source_id ?? v.id) }));
      this.venues.clearRing();
      if (sheet.mairie) this.venues.ring([sheet.mairie.lat, sheet.mairie.lon]);
    } catch (e) {
      this.showDetail(() => el('p', { class: 'error' }, this.t('sheet.error', { msg: e instanceof ApiError ? e.message : String(e) })));
    }
  }

  async nearestFrom(latlng) {
    this.nearestLayer?.remove();
    this.showDetail(() => el('p', { class: 'muted' }, this.t('common.loading')));
    try {
      const params = new URLSearchParams({ lon: latlng.lng.toFixed(6), lat: latlng.lat.toFixed(6), k: '5' });
      const services = this.state.filters.services;
      const known = [...services].filter((v) => v !== OTHER);
      if (known.length) params.set('services', known.join('|'));
      const res = await getJSON(`/api/nearest?${params}`);
      const group = L.layerGroup([], { pane: 'highlightPane' });
      L.circleMarker(latlng, { radius: 7, color: '#000', weight: 2, fillColor: '#ffd400', fillOpacity: 1, pane: 'highlightPane' }).addTo(group);
      for (const v of res.venues ?? []) {
        L.polyline([latlng, [v.lat, v.lon]], { color: '#000', weight: 2, dashArray: '4 6', pane: 'highlightPane', interactive: false }).addTo(group);
      }
      this.nearestLayer = group.addTo(this.map);
      const render = () => el('article', { class: 'card', 'data-kind': 'nearest' },
        el('h2', { tabindex: '-1' }, this.t('nearest.title')),
        el('p', { class: 'muted' }, res.from?.commune ? this.t('nearest.fromCommune', { name: res.from.commune.nom }) : this.t('nearest.fromPoint'),
          ' ', this.t('nearest.hypotheses', { detour: formatNum(res.hypotheses?.facteur_detour, 1, this.lang), speed: formatInt(res.hypotheses?.vitesse_kmh, this.lang) })),
        known.length ? el('p', { class: 'muted' }, this.t('nearest.filtered', { services: known.join(', ') })) : null,
        nearestList(res.venues ?? [], this.t, this.lang, (v) => this.openVenueById(v.source_id ?? v.id)),
        el('div', { class: 'actions no-print' },
          el('button', { type: 'button', onclick: () => { this.nearestLayer?.remove(); this.closeDetail(); } }, this.t('nearest.clear')),
          el('button', { type: 'button', onclick: () => window.print() }, this.t('common.print'))));
      this.showDetail(render);
    } catch (e) {
      this.showDetail(() => el('p', { class: 'error' }, this.t('nearest.error', { msg: e.message })));
    }
  }

  // ---------- panels ----------

  buildPanels() {
    this.renderTerritory();
    this.renderFilters();
    this.renderLayers();
    if (!this.table) {
      this.table = new VenueTable(document.getElementById('table-section'), {
        t: this.t,
        lang: () => this.lang,
        onOpen: (f) => this.openVenue(f, { reveal: true }),
      });
      const inView = document.getElementById('table-in-view');
      inView.checked = this.state.tableInView;
      inView.addEventListener('change', () => {
        this.state.tableInView = inView.checked;
        this.writeHash();
        this.refreshTable();
      });
      document.getElementById('btn-csv').addEventListener('click', () => {
        const tr = this.state.territory;
        this.table.exportCsv(`maillage-lieux${tr ? `-${tr.kind}-${tr.code}` : ''}.csv`);
        this.status(this.t('table.csvDone', { n: this.table.rows.length }));
      });
      document.getElementById('detail-close').addEventListener('click', () => this.closeDetail());
      document.addEventListener('keydown', (e) => {
        if (e.key !== 'Escape' || e.target.closest?.('form.search')) return;
        if (this.pickMode) this.setPickMode(null);
        else if (!document.getElementById('detail').hidden && !document.getElementById('dialog').open) this.closeDetail();
      });
      document.getElementById('btn-lang').addEventListener('click', () => this.switchLang());
      document.getElementById('btn-about').addEventListener('click', () => this.openAbout());
      document.getElementById('btn-share').addEventListener('click', () => this.openShare());
      document.getElementById('dialog-close').addEventListener('click', () => document.getElementById('dialog').close());
      this.search = new SearchBox(document.querySelector('form.search'), { t: this.t, onPick: (hit) => this.onSearchPick(hit) });
    } else this.table.render();
    this.refreshCounts();
    this.refreshTable();
  }

  onSearchPick(hit) {
    const kind = { departement: 'dep', epci: 'epci', commune: 'com' }[hit.kind];
    if (kind === 'com') {
      if (hit.bbox) this.map.fitBounds([[hit.bbox[1], hit.bbox[0]], [hit.bbox[3], hit.bbox[2]]], { maxZoom: 13 });
      const dep = communeDepartement(hit.code);
      if (!this.state.territory || (this.state.territory.kind === 'dep' && this.state.territory.code !== dep)) {
        this.setTerritory({ kind: 'dep', code: dep }, { fit: false });
      }
      this.openCommune(hit.code);
    } else if (kind) {
      this.setTerritory({ kind, code: hit.code, name: hit.name, bbox: hit.bbox });
    }
  }

  renderTerritory() {
    const box = document.getElementById('territory');
    const t = this.t;
    const current = this.state.territory;
    const select = el('select', { id: 'territory-select' },
      el('option', { value: '' }, t('territory.france')),
      ...this.departements.map((d) => el('option', { value: d.code, selected: current?.kind === 'dep' && current.code === d.code }, `${d.code} – ${d.name}`)));
    if (current && current.kind !== 'dep') select.prepend(el('option', { value: `${current.kind}:${current.code}`, selected: true }, this.territoryLabel()));
    select.addEventListener('change', () => {
      const v = select.value;
      if (!v) this.setTerritory(null);
      else if (v.includes(':')) return;
      else this.setTerritory({ kind: 'dep', code: v, name: this.departements.find((d) => d.code === v)?.name });
    });
    fill(box, 
      el('h2', {}, t('territory.title')),
      el('p', { class: 'territory-name', id: 'territory-name' }, this.territoryLabel()),
      el('label', { for: 'territory-select' }, t('territory.choose')), select);
  }

  renderFilters() {
    const box = document.getElementById('filters');
    const t = this.t;
    // Categories and services open; the other groups fold away unless one of their values is on.
    const groups = FACETS.map((f, i) => el('details', { class: 'facet', 'data-facet': f.id, open: i < 2 || this.state.filters[f.id].size > 0 },
      el('summary', { id: `facet-title-${f.id}` }, t(`facet.${f.id}`)),
      el('div', { class: 'facet-buttons', role: 'group', 'aria-labelledby': `facet-title-${f.id}` }, ...f.values.map((v) => {
        const pressed = this.state.filters[f.id].has(v);
        const cat = f.id === 'categorie' ? [...CATEGORIES, OTHER_CATEGORY].find((c) => c.id === v) : null;
        return el('button', {
          type: 'button', class: 'facet-btn', 'data-facet': f.id, 'data-value': v, 'aria-pressed': String(pressed),
          onclick: (e) => this.toggleFilter(f.id, v, e.currentTarget),
        }, cat ? el('span', { class: 'dot', style: `background:${cat.color}`, 'aria-hidden': 'true' }) : null,
        el('span', { class: 'label' }, facetLabel(t, f.id, v)), ' ', el('span', { class: 'count' }, '0'));
      }))));
    fill(box, 
      el('h2', {}, t('filters.title')),
      el('p', { id: 'filter-summary', class: 'summary', role: 'status', 'aria-live': 'polite' }),
      el('p', { class: 'muted' }, t('filters.help')),
      ...groups,
      el('button', { type: 'button', id: 'filters-reset', onclick: () => this.resetFilters() }, t('filters.reset')));
    this.refreshCounts();
  }

  toggleFilter(facetId, value, button) {
    const set = this.state.filters[facetId];
    if (set.has(value)) set.delete(value);
    else set.add(value);
    button.setAttribute('aria-pressed', String(set.has(value)));
    this.writeHash();
    this.applyFilters();
    this.renderExport();
  }

  resetFilters() {
    for (const f of FACETS) this.state.filters[f.id].clear();
    for (const b of document.querySelectorAll('.facet-btn')) b.setAttribute('aria-pressed', 'false');
    this.writeHash();
    this.applyFilters();
    this.renderExport();
  }

  /** Redraws the layer panel when the axes offered for the model changed (keeps the focus). */
  renderAxisChoices() {
    const select = document.getElementById('ifn-axis');
    const want = (this.ifnAxes[this.state.ifn.model] ?? []).join(',');
    const have = select ? [...select.options].map((o) => o.value).join(',') : '';
    if (!want || want === have) return;
    const focused = document.activeElement?.id;
    this.renderLayers();
    if (focused) document.getElementById(focused)?.focus();
  }

  renderLayers() {
    const box = document.getElementById('layers');
    const t = this.t;
    const check = (id, label) => {
      const input = el('input', { type: 'checkbox', id: `layer-${id}`, checked: this.state.layers.has(id) });
      input.addEventListener('change', () => {
        if (input.checked) this.state.layers.add(id);
        else this.state.layers.delete(id);
        this.syncLayers();
        this.writeHash();
        this.refreshAreas();
        this.renderLayers();
        document.getElementById(`layer-${id}`)?.focus();
      });
      return el('div', { class: 'check' }, input, el('label', { for: `layer-${id}` }, label));
    };
    const ifnOn = this.state.layers.has('ifn');
    const model = this.state.ifn.model;
    const axes = this.ifnAxes[model]?.length ? this.ifnAxes[model] : [this.state.ifn.axis];
    const modelRadios = el('fieldset', { class: 'inline', disabled: !ifnOn },
      el('legend', {}, t('ifn.modelChoice')),
      ...['2023', '2020'].map((m) => {
        const input = el('input', { type: 'radio', name: 'ifn-model', id: `ifn-model-${m}`, value: m, checked: model === m });
        input.addEventListener('change', () => {
          this.state.ifn = { model: m, axis: defaultAxis(m, this.ifnAxes[m] ?? []) ?? (m === '2023' ? 'total' : 'reg_score_global') };
          this.writeHash();
          this.renderLayers();
          this.updateLegend();
          document.getElementById(`ifn-model-${m}`)?.focus();
          this.refreshAreas();
        });
        return el('span', { class: 'radio' }, input, el('label', { for: `ifn-model-${m}` }, t(`ifn.model.${m}`)));
      }));
    const axisSelect = el('select', { id: 'ifn-axis', disabled: !ifnOn },
      ...axes.map((a) => {
        const { axis, scale } = splitAxis(model, a);
        return el('option', { value: a, selected: a === this.state.ifn.axis }, t(`ifn.axis.${axis}`) + (scale ? ` (${t('ifn.ref')} ${t(`ifn.scale.${scale}`)})` : ''));
      }));
    axisSelect.addEventListener('change', () => {
      this.state.ifn.axis = axisSelect.value;
      this.applyAreaStyle();
      this.updateLegend();
      this.writeHash();
    });
    const levelSelect = el('select', { id: 'ifn-level' },
      ...['auto', 'communes', 'epci', 'departements'].map((l) => el('option', { value: l, selected: this.state.level === l }, t(`level.${l}`))));
    levelSelect.addEventListener('change', () => {
      this.state.level = levelSelect.value;
      this.writeHash();
      this.refreshAreas();
    });
    fill(box, 
      el('h2', {}, t('layers.title')),
      check('lieux', t('layers.venues')),
      check('ifn', t('layers.ifn')),
      el('div', { class: 'sub' }, modelRadios,
        el('label', { for: 'ifn-axis' }, t('ifn.axisChoice')), axisSelect,
        el('p', { class: 'muted' }, t('ifn.notComparable'))),
      el('label', { for: 'ifn-level' }, t('level.choice')), levelSelect,
      check('contours', t('layers.outlines')),
      this.tiles ? check('tuiles', t('layers.tiles')) : null,
      this.tiles ? null : el('p', { class: 'muted' }, t('layers.noTiles')));
  }

  renderTools() {
    const box = document.getElementById('tools');
    const t = this.t;
    const nearestBtn = el('button', {
      type: 'button', 'data-pick': 'nearest', 'aria-pressed': 'false',
      onclick: () => (this.pickMode?.id === 'nearest' ? this.setPickMode(null) : this.setPickMode({ id: 'nearest', message: t('nearest.pick'), callback: (ll) => this.nearestFrom(ll) })),
    }, t('nearest.button'));
    const geoBtn = 'geolocation' in navigator ? el('button', {
      type: 'button',
      onclick: () => navigator.geolocation.getCurrentPosition(
        (pos) => {
          const ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
          this.map.setView(ll, Math.max(this.map.getZoom(), 11));
          this.nearestFrom(ll);
        },
        () => this.status(t('nearest.geoError'), true),
        { timeout: 10_000 }),
    }, t('nearest.here')) : null;
    const children = [el('h2', {}, t('tools.title')),
      el('div', { class: 'tool' }, el('h3', {}, t('nearest.title')), el('p', { class: 'muted' }, t('nearest.help')), nearestBtn, geoBtn)];
    const f = this.features;
    this.gapTool ??= new GapTool(this);
    this.planTool ??= new PlanTool(this);
    if (f.gaps) children.push(this.gapTool.panel());
    if (f.sites || f.tours) children.push(this.planTool.panel(f));
    fill(box, ...children);
  }

  renderExport() {
    const box = document.getElementById('export');
    if (!box) return;
    const t = this.t;
    const known = ['venues', 'communes', 'epci', 'departements', 'town-halls', 'gaps', 'sites', 'tours'];
    const available = this.features.collections?.size ? known.filter((c) => this.features.collections.has(c)) : known.slice(0, 5);
    const prev = this.exportChoice ?? { layer: 'venues', format: 'csv', crs: '4326', scope: 'territoire' };
    const layer = el('select', { id: 'export-layer' }, ...available.map((c) => el('option', { value: c, selected: prev.layer === c }, t(`collection.${c}`))));
    const format = el('select', { id: 'export-format' }, ...['csv', 'geojson', 'gpkg', 'shp'].map((f) => el('option', { value: f, selected: prev.format === f }, t(`format.${f}`))));
    const crs = el('select', { id: 'export-crs' }, ...['4326', '2154'].map((c) => el('option', { value: c, selected: prev.crs === c }, t(`crs.${c}`))));
    const scope = el('select', { id: 'export-scope' }, ...['territoire', 'vue', 'tout'].map((s) => el('option', { value: s, selected: prev.scope === s }, t(`scope.${s}`))));
    const link = el('a', { id: 'export-link', class: 'button', href: '#' }, t('export.download'));
    const note = el('p', { class: 'muted', id: 'export-note' });
    const update = () => {
      this.exportChoice = { layer: layer.value, format: format.value, crs: crs.value, scope: scope.value };
      const url = this.exportUrl(this.exportChoice);
      link.href = url;
      link.setAttribute('download', '');
      note.textContent = layer.value === 'venues' && hasClientOnlyFilters(this.state.filters) ? t('export.clientOnly') : '';
      urlBox.value = new URL(url, location.href).href;
    };
    const urlBox = el('input', { type: 'text', readonly: true, id: 'export-url', class: 'mono' });
    for (const s of [layer, format, crs, scope]) s.addEventListener('change', update);
    const ogc = el('input', { type: 'text', readonly: true, id: 'ogc-url', class: 'mono', value: `${location.origin}/` });
    fill(box, 
      el('h2', {}, t('export.title')),
      el('label', { for: 'export-layer' }, t('export.layer')), layer,
      el('label', { for: 'export-format' }, t('export.format')), format,
      el('label', { for: 'export-crs' }, t('export.crs')), crs,
      el('label', { for: 'export-scope' }, t('export.scope')), scope,
      link, note,
      el('label', { for: 'export-url' }, t('export.url')), urlBox,
      el('label', { for: 'ogc-url' }, t('export.ogc')), el('div', { class: 'copy-row' }, ogc, copyButton(ogc, t)),
      el('p', { class: 'muted' }, t('export.qgis')));
    update();
  }

  exportUrl({ layer, format, crs, scope }) {
    const params = [['f', format]];
    if (crs === '2154') params.push(['crs', 'http://www.opengis.net/def/crs/EPSG/0/2154']);
    const tr = this.state.territory;
    if (scope === 'territoire' && tr) params.push(...territoryFilter(layer, tr));
    if (scope === 'vue') {
      const b = this.map.getBounds();
      params.push(['bbox', [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(',')]);
    }
    if (layer === 'venues') params.push(...serverFilters(this.state.filters));
    return itemsUrl(layer, params);
  }

  // ---------- dialogs ----------

  openDialog(title, body) {
    const dialog = document.getElementById('dialog');
    document.getElementById('dialog-title').textContent = title;
    fill(document.getElementById('dialog-body'), body);
    if (!dialog.open) dialog.showModal();
  }

  async openAbout() {
    const t = this.t;
    this.openDialog(t('about.title'), el('p', {}, t('common.loading')));
    let layers = [];
    try {
      layers = (await getJSON('/api/layers')).layers ?? [];
    } catch (e) {
      this.openDialog(t('about.title'), el('p', { class: 'error' }, e.message));
      return;
    }
    const rows = layers.map((l) => el('tr', { 'data-layer': l.id },
      el('th', { scope: 'row' }, l.title ?? l.id),
      el('td', {}, l.source ?? ''),
      el('td', {}, l.licence ?? ''),
      el('td', {}, l.date ?? ''),
      el('td', {}, l.status?.state === 'loaded' ? t('about.loaded', { n: formatInt(l.status.count, this.lang) }) : el('span', { class: 'error' }, l.status?.message ?? t('about.missing')))));
    this.openDialog(t('about.title'), el('div', { class: 'about' },
      el('p', {}, t('about.intro')),
      el('div', { class: 'table-scroll' }, el('table', { class: 'data about-table' },
        el('caption', {}, t('about.caption')),
        el('thead', {}, el('tr', {}, ...['layer', 'source', 'licence', 'date', 'state'].map((k) => el('th', { scope: 'col' }, t(`about.col.${k}`))))),
        el('tbody', {}, ...rows))),
      el('h3', {}, t('about.basemap')),
      el('p', {}, t('about.basemapText')),
      el('h3', {}, t('about.method')),
      el('p', {}, t('about.methodText'))));
  }

  openShare() {
    const t = this.t;
    const url = location.href.split('#')[0] + formatHash({ ...this.state, embed: false });
    const embedUrl = location.href.split('#')[0] + formatHash({ ...this.state, embed: true, lang: this.lang });
    const link = el('input', { type: 'text', readonly: true, id: 'share-url', class: 'mono', value: url });
    const code = el('textarea', { readonly: true, id: 'share-embed', class: 'mono', rows: 3 },
      `<iframe src="${embedUrl}" title="${t('share.iframeTitle')}" width="100%" height="520" style="border:0" loading="lazy"></iframe>`);
    this.openDialog(t('share.title'), el('div', {},
      el('label', { for: 'share-url' }, t('share.link')), el('div', { class: 'copy-row' }, link, copyButton(link, t)),
      el('label', { for: 'share-embed' }, t('share.embed')), el('div', { class: 'copy-row' }, code, copyButton(code, t)),
      el('p', { class: 'muted' }, t('share.help'))));
  }

  // ---------- permalink ----------

  writeHash() {
    const hash = formatHash({ ...this.state, lang: this.lang });
    if (hash !== location.hash) {
      this.writingHash = hash;
      history.replaceState(null, '', hash || location.pathname + location.search);
    }
  }

  onHashChange() {
    if (location.hash === this.writingHash) return;
    const next = parseHash(location.hash, defaultState());
    const prev = this.state;
    this.state = { ...next, embed: prev.embed || next.embed };
    document.body.classList.toggle('embed', this.state.embed);
    if (next.lang && next.lang !== this.lang) {
      this.lang = next.lang;
      this.applyStatic();
    }
    if (next.view) this.map.setView([next.view.lat, next.view.lon], next.view.z);
    this.buildPanels();
    this.syncLayers();
    const sameTerritory = JSON.stringify(prev.territory) === JSON.stringify(next.territory);
    if (!sameTerritory) this.setTerritory(next.territory, { fit: !next.view });
    else this.applyFilters();
    if (next.venue) this.openVenueById(next.venue);
    else if (next.commune) this.openCommune(next.commune);
  }
}

/** Whether an area feature lies in the territory (unknown: yes). */
function inTerritory(tr, level, f) {
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
function territoryFilter(layer, tr) {
  const table = {
    dep: { venues: 'departement', communes: 'departement', 'town-halls': 'departement', gaps: 'departement', epci: 'departements', departements: 'code' },
    epci: { venues: 'epci', communes: 'epci', 'town-halls': 'epci', gaps: 'epci', epci: 'siren' },
    com: { venues: 'commune_insee', communes: 'code', 'town-halls': 'code', gaps: 'code' },
  };
  const field = table[tr.kind]?.[layer];
  return field ? [[field, tr.code]] : [];
}

function parseTerritory(text) {
  const m = /^(dep|epci|com):(\w+)$/.exec(String(text ?? ''));
  return m ? { kind: m[1], code: m[2] } : null;
}

function communeDepartement(code) {
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

function featureBbox(f) {
  if (Array.isArray(f.bbox) && f.bbox.length === 4) return f.bbox;
  if (!f.geometry) return null;
  const b = L.geoJSON(f).getBounds();
  return b.isValid() ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : null;
}

function facetLabel(t, facetId, value) {
  if (value === OTHER) return t(facetId === 'categorie' ? 'cat.other' : 'facet.unknown');
  return facetId === 'categorie' ? t(`cat.${value}`) : t(`value.${value}`, {}, value);
}

function cssEscape(v) {
  return window.CSS?.escape ? CSS.escape(v) : v.replace(/["\\]/g, '\\$&');
}

function copyButton(input, t) {
  return el('button', {
    type: 'button',
    onclick: async (e) => {
      const btn = e.currentTarget;
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        document.execCommand?.('copy');
      }
      btn.textContent = t('common.copied');
      setTimeout(() => (btn.textContent = t('common.copy')), 2000);
    },
  }, t('common.copy'));
}

const app = new App();
window.maillage = app;
app.start().catch((e) => {
  document.body.dataset.state = 'error';
  const s = document.getElementById('map-status');
  if (s) {
    s.textContent = `Erreur au démarrage : ${e.message}`;
    s.classList.add('error');
  }
});
