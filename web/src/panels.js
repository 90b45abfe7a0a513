// The side bar's panels and the table, each drawn from the store and changing it: the filters
// (with live counts), the layers and IFN choice, the export of a layer, the table of venues.

import { FACETS, OTHER, CATEGORIES, OTHER_CATEGORY, countFacets, hasClientOnlyFilters, serverFilters } from './facets.js';
import { createT } from './i18n.js';
import { defaultAxis, splitAxis } from './ifn.js';
import { copyButton, cssEscape, status } from './page.js';
import { changed } from './store.js';
import { VenueTable } from './table.js';
import { territoryFilter } from './territory.js';
import { el, fill, formatInt } from './util.js';

function facetLabel(t, facetId, value) {
  if (value === OTHER) return t(facetId === 'categorie' ? 'cat.other' : 'facet.unknown');
  return facetId === 'categorie' ? t(`cat.${value}`) : t(`value.${value}`, {}, value);
}

/** Redraws a panel, giving the focus back to the control that had it. */
function keepFocus(draw) {
  const focused = document.activeElement?.id;
  draw();
  if (focused && document.activeElement?.id !== focused) document.getElementById(focused)?.focus();
}

export class FiltersView {
  constructor(store) {
    this.store = store;
    this.t = createT(() => store.get().lang);
    store.subscribe((s, prev, meta) => {
      if (changed(meta, 'lang')) keepFocus(() => this.render());
      else if (changed(meta, 'filters')) this.pressed();
      // Counts follow the venues the filters keep (`shown`, set once the map applied them).
      if (changed(meta, 'lang', 'shown')) this.counts();
    });
    this.render();
  }

  render() {
    const t = this.t;
    const filters = this.store.get().filters;
    // Categories and services open; the other groups fold away unless one of their values is on.
    const groups = FACETS.map((f, i) => el('details', { class: 'facet', 'data-facet': f.id, open: i < 2 || filters[f.id].size > 0 },
      el('summary', { id: `facet-title-${f.id}` }, t(`facet.${f.id}`)),
      el('div', { class: 'facet-buttons', role: 'group', 'aria-labelledby': `facet-title-${f.id}` }, ...f.values.map((v) => {
        const cat = f.id === 'categorie' ? [...CATEGORIES, OTHER_CATEGORY].find((c) => c.id === v) : null;
        return el('button', {
          type: 'button', class: 'facet-btn', 'data-facet': f.id, 'data-value': v, 'aria-pressed': String(filters[f.id].has(v)),
          onclick: () => this.toggle(f.id, v),
        }, cat ? el('span', { class: 'dot', style: `background:${cat.color}`, 'aria-hidden': 'true' }) : null,
        el('span', { class: 'label' }, facetLabel(t, f.id, v)), ' ', el('span', { class: 'count' }, '0'));
      }))));
    fill(document.getElementById('filters'),
      el('h2', {}, t('filters.title')),
      el('p', { id: 'filter-summary', class: 'summary', role: 'status', 'aria-live': 'polite' }),
      el('p', { class: 'muted' }, t('filters.help')),
      ...groups,
      el('button', { type: 'button', id: 'filters-reset', onclick: () => this.reset() }, t('filters.reset')));
    this.counts();
  }

  toggle(facetId, value) {
    const filters = this.store.get().filters;
    const set = new Set(filters[facetId]);
    if (set.has(value)) set.delete(value);
    else set.add(value);
    this.store.set({ filters: { ...filters, [facetId]: set } });
  }

  reset() {
    this.store.set({ filters: Object.fromEntries(FACETS.map((f) => [f.id, new Set()])) });
  }

  pressed() {
    const filters = this.store.get().filters;
    for (const b of document.querySelectorAll('.facet-btn')) b.setAttribute('aria-pressed', String(filters[b.dataset.facet]?.has(b.dataset.value) ?? false));
  }

  counts() {
    const { shown, filters, lang } = this.store.get();
    const all = shown?.all ?? [];
    const filtered = shown?.filtered ?? [];
    const counts = countFacets(all, filters);
    for (const f of FACETS) {
      for (const v of f.values) {
        const b = document.querySelector(`button[data-facet="${f.id}"][data-value="${cssEscape(v)}"]`);
        if (!b) continue;
        const n = counts[f.id][v] ?? 0;
        b.querySelector('.count').textContent = formatInt(n, lang);
        b.classList.toggle('empty', n === 0);
      }
    }
    const summary = document.getElementById('filter-summary');
    if (summary) {
      summary.textContent = this.t('filters.summary', { shown: formatInt(filtered.length, lang), total: formatInt(all.length, lang) });
      summary.dataset.shown = String(filtered.length);
      summary.dataset.total = String(all.length);
    }
  }
}

export class LayersView {
  constructor(store, { tiles = false } = {}) {
    this.store = store;
    this.tiles = tiles;
    this.t = createT(() => store.get().lang);
    store.subscribe((s, prev, meta) => {
      if (changed(meta, 'layers', 'ifn', 'level', 'ifnAxes', 'lang')) keepFocus(() => this.render());
    });
    this.render();
  }

  render() {
    const t = this.t;
    const s = this.store.get();
    const check = (id, label) => {
      const input = el('input', { type: 'checkbox', id: `layer-${id}`, checked: s.layers.has(id) });
      input.addEventListener('change', () => {
        const layers = new Set(this.store.get().layers);
        if (input.checked) layers.add(id);
        else layers.delete(id);
        this.store.set({ layers });
      });
      return el('div', { class: 'check' }, input, el('label', { for: `layer-${id}` }, label));
    };
    const ifnOn = s.layers.has('ifn');
    const model = s.ifn.model;
    const axes = s.ifnAxes[model]?.length ? s.ifnAxes[model] : [s.ifn.axis];
    const modelRadios = el('fieldset', { class: 'inline', disabled: !ifnOn },
      el('legend', {}, t('ifn.modelChoice')),
      ...['2023', '2020'].map((m) => {
        const input = el('input', { type: 'radio', name: 'ifn-model', id: `ifn-model-${m}`, value: m, checked: model === m });
        input.addEventListener('change', () => {
          this.store.set({ ifn: { model: m, axis: defaultAxis(m, this.store.get().ifnAxes[m] ?? []) ?? (m === '2023' ? 'total' : 'reg_score_global') } });
        });
        return el('span', { class: 'radio' }, input, el('label', { for: `ifn-model-${m}` }, t(`ifn.model.${m}`)));
      }));
    const axisSelect = el('select', { id: 'ifn-axis', disabled: !ifnOn },
      ...axes.map((a) => {
        const { axis, scale } = splitAxis(model, a);
        return el('option', { value: a, selected: a === s.ifn.axis }, t(`ifn.axis.${axis}`) + (scale ? ` (${t('ifn.ref')} ${t(`ifn.scale.${scale}`)})` : ''));
      }));
    axisSelect.addEventListener('change', () => this.store.set({ ifn: { ...this.store.get().ifn, axis: axisSelect.value } }));
    const levelSelect = el('select', { id: 'ifn-level' },
      ...['auto', 'communes', 'epci', 'departements'].map((l) => el('option', { value: l, selected: s.level === l }, t(`level.${l}`))));
    levelSelect.addEventListener('change', () => this.store.set({ level: levelSelect.value }));
    fill(document.getElementById('layers'),
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
}

/** Venues within a box [w, s, e, n] (edges included). */
export function inBox(features, box) {
  if (!box) return features;
  const [w, s, e, n] = box;
  return features.filter((f) => {
    const [lon, lat] = f.geometry.coordinates;
    return lon >= w && lon <= e && lat >= s && lat <= n;
  });
}

export class TableView {
  constructor(store) {
    this.store = store;
    this.t = createT(() => store.get().lang);
    this.table = new VenueTable(document.getElementById('table-section'), {
      t: this.t,
      lang: () => store.get().lang,
      onOpen: (f) => store.set({ venue: String(f.id), commune: null }, { reveal: true }),
    });
    const inView = document.getElementById('table-in-view');
    inView.checked = store.get().tableInView;
    inView.addEventListener('change', () => store.set({ tableInView: inView.checked }));
    document.getElementById('btn-csv').addEventListener('click', () => {
      const tr = store.get().territory;
      this.table.exportCsv(`maillage-lieux${tr ? `-${tr.kind}-${tr.code}` : ''}.csv`);
      status(this.t('table.csvDone', { n: this.table.rows.length }));
    });
    store.subscribe((s, prev, meta) => {
      if (changed(meta, 'tableInView')) inView.checked = s.tableInView;
      if (changed(meta, 'lang')) this.table.render();
      if (changed(meta, 'shown', 'tableInView', 'lang') || (s.tableInView && changed(meta, 'bounds'))) this.refresh();
    });
    this.refresh();
  }

  refresh() {
    const { shown, tableInView, bounds, lang } = this.store.get();
    const filtered = shown?.filtered ?? [];
    const rows = tableInView ? inBox(filtered, bounds) : filtered;
    this.table.set(rows);
    const title = document.getElementById('table-title');
    title.textContent = this.t(tableInView ? 'table.titleInView' : 'table.titleAll', { n: formatInt(rows.length, lang) });
    title.dataset.count = String(rows.length);
  }
}

export class ExportView {
  constructor(store, api) {
    this.store = store;
    this.api = api;
    this.t = createT(() => store.get().lang);
    this.choice = { layer: 'venues', format: 'csv', crs: '4326', scope: 'territoire' };
    store.subscribe((s, prev, meta) => {
      if (changed(meta, 'lang', 'features')) keepFocus(() => this.render());
      else if (changed(meta, 'filters', 'territory')) this.update?.();
    });
    this.render();
  }

  /** The address of a layer's download with the territory, filters and CRS in force. */
  url({ layer, format, crs, scope }) {
    const s = this.store.get();
    const params = [['f', format]];
    if (crs === '2154') params.push(['crs', 'http://www.opengis.net/def/crs/EPSG/0/2154']);
    if (scope === 'territoire' && s.territory) params.push(...territoryFilter(layer, s.territory));
    if (scope === 'vue' && s.bounds) params.push(['bbox', s.bounds.map((v) => v.toFixed(5)).join(',')]);
    if (layer === 'venues') params.push(...serverFilters(s.filters));
    return this.api.urls.items(layer, params);
  }

  render() {
    const box = document.getElementById('export');
    if (!box) return;
    const t = this.t;
    const collections = this.store.get().features.collections;
    const known = ['venues', 'communes', 'epci', 'departements', 'town-halls', 'gaps', 'sites', 'tours'];
    const available = collections?.size ? known.filter((c) => collections.has(c)) : known.slice(0, 5);
    const prev = this.choice;
    const layer = el('select', { id: 'export-layer' }, ...available.map((c) => el('option', { value: c, selected: prev.layer === c }, t(`collection.${c}`))));
    const format = el('select', { id: 'export-format' }, ...['csv', 'geojson', 'gpkg', 'shp'].map((f) => el('option', { value: f, selected: prev.format === f }, t(`format.${f}`))));
    const crs = el('select', { id: 'export-crs' }, ...['4326', '2154'].map((c) => el('option', { value: c, selected: prev.crs === c }, t(`crs.${c}`))));
    const scope = el('select', { id: 'export-scope' }, ...['territoire', 'vue', 'tout'].map((s) => el('option', { value: s, selected: prev.scope === s }, t(`scope.${s}`))));
    const link = el('a', { id: 'export-link', class: 'button', href: '#' }, t('export.download'));
    const note = el('p', { class: 'muted', id: 'export-note' });
    const urlBox = el('input', { type: 'text', readonly: true, id: 'export-url', class: 'mono' });
    this.update = () => {
      this.choice = { layer: layer.value, format: format.value, crs: crs.value, scope: scope.value };
      const url = this.url(this.choice);
      link.href = url;
      link.setAttribute('download', '');
      note.textContent = layer.value === 'venues' && hasClientOnlyFilters(this.store.get().filters) ? t('export.clientOnly') : '';
      urlBox.value = new URL(url, location.href).href;
    };
    for (const s of [layer, format, crs, scope]) s.addEventListener('change', this.update);
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
    this.update();
  }
}
