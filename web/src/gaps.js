// Coverage gaps (POST /api/gaps): unserved communes coloured by priority, the indicators of the
// territory, and the what-if tool (click to add a hypothetical venue and watch them change).

import L from './leaflet.js';
import { autoLevel } from './areas.js';
import { CLOSED, showPanel } from './detail-view.js';
import { createT } from './i18n.js';
import { status } from './page.js';
import { territoryLabel } from './territory.js';
import { GAP_COLORS, gapIfn, gapTerritory, priorityClasses } from './planning-model.js';
import { el, formatInt, formatNum } from './util.js';

export class GapTool {
  constructor(store, api, map) {
    this.store = store;
    this.api = api;
    this.map = map;
    this.t = createT(() => store.get().lang);
    this.active = false;
    this.result = null;
    this.added = [];
    this.removed = [];
    this.threshold = 20;
    this.layer = L.layerGroup([], { pane: 'gapsPane' });
  }

  /** Redraws the tool's part of the tools panel. */
  refresh() {
    if (this.node?.isConnected) this.node.replaceWith(this.panel());
  }

  /** What the map shows of the analysis (style, legend, tooltip) and the what-if from a venue card. */
  overlay() {
    if (!this.active) return null;
    return {
      overrides: this.overrides(),
      legend: () => this.legend(),
      tooltip: (code) => this.tooltip(code),
      removeVenue: (f) => this.removeVenue(f),
    };
  }

  panel() {
    const t = (...a) => this.t(...a);
    const threshold = el('input', { type: 'number', id: 'gap-threshold', min: 1, max: 180, step: 1, value: this.threshold, inputmode: 'numeric' });
    threshold.addEventListener('change', () => {
      const v = Number(threshold.value);
      if (v >= 1 && v <= 180) this.threshold = v;
    });
    const run = el('button', { type: 'button', id: 'gap-run', onclick: () => this.run({ fit: true }) }, t('gaps.run'));
    const whatif = el('button', {
      type: 'button', id: 'gap-whatif', 'data-pick': 'whatif', 'aria-pressed': 'false', disabled: !this.result,
      onclick: () => this.store.set({ pick: { id: 'whatif', message: t('gaps.whatifPick'), callback: (ll) => this.addVenue(ll) } }),
    }, t('gaps.whatif'));
    const reset = el('button', { type: 'button', id: 'gap-reset', hidden: this.added.length + this.removed.length === 0, onclick: () => this.resetWhatIf() }, t('gaps.reset'));
    const clear = el('button', { type: 'button', id: 'gap-clear', hidden: !this.active, onclick: () => this.clear() }, t('nearest.clear'));
    this.node = el('div', { class: 'tool', id: 'gap-tool' },
      el('h3', {}, t('gaps.title')),
      el('p', { class: 'muted' }, t('gaps.help', { threshold: this.threshold })),
      el('label', { for: 'gap-threshold' }, t('gaps.threshold')), threshold,
      el('div', { class: 'button-row' }, run, clear),
      el('p', { class: 'muted' }, t('gaps.whatifHelp')),
      el('div', { class: 'button-row' }, whatif, reset),
      this.added.length ? el('p', {}, t('gaps.added', { n: this.added.length })) : null,
      this.removed.length ? el('p', {}, t('gaps.removed', { n: this.removed.length, names: this.removed.map((r) => r.name).join(', ') })) : null,
      this.active ? el('p', { class: 'muted' }, t('gaps.removeHelp')) : null);
    return this.node;
  }

  request() {
    const state = this.store.get();
    const territory = gapTerritory(state.territory);
    if (!territory) return null;
    const body = {
      territory,
      threshold_minutes: this.threshold,
      ifn: gapIfn(state.ifn),
    };
    const services = [...state.filters.services].filter((v) => !v.startsWith('__'));
    const publics = [...state.filters.publics].filter((v) => !v.startsWith('__'));
    // Venue kinds chosen in the filters; none chosen: the server's default (places receiving the public).
    const kinds = [...(state.filters.kind ?? [])].filter((v) => !v.startsWith('__'));
    if (services.length || publics.length || kinds.length) body.filter = { services, publics };
    if (kinds.length) body.filter.kinds = kinds;
    if (this.added.length) body.added = this.added.map((a) => ({ lonlat: a.lonlat, label: a.label }));
    if (this.removed.length) body.removed = this.removed.map((r) => r.id);
    return body;
  }

  /** Runs the analysis; `fit` fits the map to the priority communes (not on a what-if rerun). */
  async run({ fit = false } = {}) {
    const t = (...a) => this.t(...a);
    const body = this.request();
    if (!body) {
      status(t('gaps.needTerritory'), true);
      return;
    }
    status(t('gaps.running'));
    try {
      this.result = await this.api.gaps(body);
    } catch (e) {
      if (e.status === 404 || e.status === 405) this.store.set({ features: { ...this.store.get().features, gaps: false } });
      status(t('gaps.error', { msg: e.message }), true);
      return;
    }
    this.active = true;
    this.byCode = new Map(this.result.communes.map((c) => [String(c.code), c]));
    this.changed = new Set((this.result.changes ?? []).filter((c) => c.after === 'served').map((c) => String(c.code)));
    this.classOf = priorityClasses(this.result.communes);
    // The communes are what the analysis colours.
    const level = this.store.get().level === 'auto' && autoLevel(this.map.getZoom()) !== 'communes' ? { level: 'communes' } : {};
    this.drawHypothetical();
    status('');
    this.store.set({ ...level, overlay: this.overlay() });
    this.refresh();
    this.store.set(showPanel(() => this.indicatorsView()));
    if (fit) this.fitTop();
  }

  /** Fits the map to the priority communes (their access points). */
  fitTop() {
    const pts = (this.result.indicators.selection.top_unserved ?? [])
      .map((c) => this.byCode.get(String(c.code))?.access_lonlat).filter(Boolean).map(([lon, lat]) => [lat, lon]);
    if (pts.length) this.map.fitBounds(L.latLngBounds(pts), { padding: [30, 30], maxZoom: 12 });
  }

  addVenue(latlng) {
    const n = this.added.length + 1;
    this.added.push({ lonlat: [Number(latlng.lng.toFixed(6)), Number(latlng.lat.toFixed(6))], label: this.t('gaps.hypoLabel', { n }) });
    this.run();
  }

  /** What-if: the analysis without this existing venue. */
  removeVenue(f) {
    if (!this.removed.some((r) => r.id === String(f.id))) this.removed.push({ id: String(f.id), name: f.properties?.nom ?? String(f.id) });
    this.run();
  }

  resetWhatIf() {
    this.added = [];
    this.removed = [];
    this.run();
  }

  clear() {
    this.active = false;
    this.result = null;
    this.added = [];
    this.removed = [];
    this.layer.clearLayers();
    this.layer.remove();
    this.store.set({ overlay: null });
    this.refresh();
    this.store.set(CLOSED);
  }

  drawHypothetical() {
    this.layer.clearLayers();
    for (const h of this.result?.hypothetical ?? []) {
      const [lon, lat] = h.lonlat;
      L.marker([lat, lon], {
        pane: 'gapsPane',
        icon: L.divIcon({ className: 'hypo-marker', html: '<span aria-hidden="true">+</span>', iconSize: [26, 26], iconAnchor: [13, 13] }),
        title: h.name,
        keyboard: true,
      }).addTo(this.layer);
    }
    this.layer.addTo(this.map);
  }

  /** Style overrides for the communes layer (code → Leaflet style), or undefined when off. */
  overrides() {
    if (!this.active || !this.byCode) return undefined;
    const map = new Map();
    for (const [code, c] of this.byCode) {
      let fill;
      if (this.changed.has(code)) fill = GAP_COLORS.changed;
      else if (c.status === 'served') fill = GAP_COLORS.served;
      else if (c.status === 'unlocated') fill = GAP_COLORS.unlocated;
      else fill = GAP_COLORS.priority[this.classOf(c.priority)];
      map.set(code, { color: '#ffffff', weight: 0.6, fillColor: fill, fillOpacity: 0.85, opacity: 1 });
    }
    return map;
  }

  tooltip(code) {
    const c = this.active ? this.byCode?.get(String(code)) : null;
    if (!c) return '';
    const lang = this.store.get().lang;
    const label = c.status === 'served' ? this.t('gaps.served') : this.t('gaps.unserved');
    return ` · ${label}${c.minutes != null ? `, ${this.t('gaps.minutes', { n: formatNum(c.minutes, 0, lang) })}` : ''}`;
  }

  legend() {
    const t = (...a) => this.t(...a);
    const rows = [
      [GAP_COLORS.priority[3], `${t('gaps.legendUnserved', { threshold: this.threshold })} — ${t('gaps.priority', { n: '++' })}`],
      [GAP_COLORS.priority[0], `${t('gaps.legendUnserved', { threshold: this.threshold })} — ${t('gaps.priority', { n: '−' })}`],
      [GAP_COLORS.served, t('gaps.legendServed')],
    ];
    if (this.changed?.size) rows.push([GAP_COLORS.changed, t('gaps.legendChanged')]);
    return el('div', { class: 'legend-block' }, el('h2', {}, t('gaps.legendTitle')),
      el('ul', {}, ...rows.map(([c, label]) => el('li', {}, el('span', { class: 'swatch', style: `background:${c}` }), label))));
  }

  indicatorsView() {
    const t = (...a) => this.t(...a);
    const lang = this.store.get().lang;
    const r = this.result;
    const pct = (v) => (v == null ? '–' : `${formatNum(v * 100, 1, lang)} %`);
    const row = (label, now, before) => el('tr', {},
      el('th', { scope: 'row' }, label),
      el('td', { class: 'num' }, now),
      r.baseline ? el('td', { class: 'num' }, before) : null);
    const s = r.indicators.selection;
    const b = r.baseline?.selection;
    const table = el('table', { class: 'data', id: 'gap-indicators' },
      el('caption', {}, t('gaps.indicators')),
      el('thead', {}, el('tr', {}, el('td', {}), el('th', { scope: 'col' }, r.baseline ? t('gaps.after') : t('gaps.scope.selection')), r.baseline ? el('th', { scope: 'col' }, t('gaps.before')) : null)),
      el('tbody', {},
        row(t('gaps.population'), formatInt(s.population, lang), b && formatInt(b.population, lang)),
        ...[10, 20, 30].map((m) => row(t('gaps.within', { m }), pct(s[`share_within_${m}_min`]), b && pct(b[`share_within_${m}_min`]))),
        row(t('gaps.unservedCount'), `${formatInt(s.communes_unserved, lang)} / ${formatInt(s.communes, lang)}`, b && `${formatInt(b.communes_unserved, lang)} / ${formatInt(b.communes, lang)}`),
        row(t('gaps.fragileUnserved'), formatInt(s.fragile_population_unserved, lang), b && formatInt(b.fragile_population_unserved, lang)),
        row(t('gaps.per10k'), s.venues_per_10000 == null ? '–' : formatNum(s.venues_per_10000, 2, lang), b && (b.venues_per_10000 == null ? '–' : formatNum(b.venues_per_10000, 2, lang)))));
    // A wide table scrolls in a region the keyboard can reach.
    const groups = (list, title) => list?.length > 1 ? el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': title }, el('table', { class: 'data' },
      el('caption', {}, title),
      el('thead', {}, el('tr', {}, ...[title, t('gaps.population'), t('gaps.within', { m: this.threshold >= 30 ? 30 : this.threshold >= 20 ? 20 : 10 }), t('gaps.unservedCount')].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...list.map((g) => el('tr', {},
        el('th', { scope: 'row' }, g.name ?? g.code),
        el('td', { class: 'num' }, formatInt(g.population, lang)),
        el('td', { class: 'num' }, pct(g[`share_within_${this.threshold >= 30 ? 30 : this.threshold >= 20 ? 20 : 10}_min`])),
        el('td', { class: 'num' }, `${formatInt(g.communes_unserved, lang)} / ${formatInt(g.communes, lang)}`)))))) : null;
    // A priority commune's name pans the map to it and rings it; "fiche" opens its sheet.
    const showCommune = (c, li) => {
      const at = this.byCode.get(String(c.code))?.access_lonlat;
      for (const other of li.parentNode.children) other.toggleAttribute('aria-current', other === li);
      li.setAttribute('aria-current', 'true');
      if (at) this.store.set({ ring: { lat: at[1], lon: at[0], reveal: true, zoom: 11 } });
    };
    const top = el('ol', { class: 'nearest', id: 'gap-top' }, ...(s.top_unserved ?? []).map((c) => el('li', { 'data-code': String(c.code) },
      el('button', { type: 'button', class: 'link', onclick: (e) => showCommune(c, e.currentTarget.closest('li')) }, c.name),
      ' ', el('span', { class: 'muted' }, [`${formatInt(c.population, lang)} hab.`, c.minutes != null ? t('gaps.minutes', { n: formatNum(c.minutes, 0, lang) }) : null].filter(Boolean).join(' · ')),
      ' ', el('button', { type: 'button', class: 'link small no-print', onclick: () => this.store.set({ commune: String(c.code), venue: null }) }, t('plan.sheet'), el('span', { class: 'sr-only' }, ` ${c.name}`)))));
    const changes = r.changes ?? [];
    return el('article', { class: 'card', 'data-kind': 'gaps' },
      el('h2', { tabindex: '-1' }, `${t('gaps.title')} — ${territoryLabel(this.store.get(), t)}`),
      el('p', { class: 'muted', id: 'gap-counted' }, t('gaps.counted', {
        kinds: (r.parameters?.filter?.kinds ?? []).map((k) => t(`kind.${k}`)).join(', ') || t('gaps.every_kind'),
      })),
      el('p', { class: 'muted' }, r.parameters?.travel_time_formula ?? ''),
      el('p', { class: 'muted' }, r.parameters?.priority_formula ?? ''),
      table,
      groups(r.indicators.epcis, t('level.epci')),
      groups(r.indicators.departements, t('level.departements')),
      el('h3', {}, t('gaps.top')), top,
      r.baseline ? el('h3', {}, t('gaps.changed')) : null,
      r.baseline ? (changes.length ? el('ul', { id: 'gap-changes' }, ...changes.map((c) => el('li', {}, `${c.name} (${formatInt(c.population, lang)} hab.) : ${c.before === 'served' ? t('gaps.served') : t('gaps.unserved')} → ${c.after === 'served' ? t('gaps.served') : t('gaps.unserved')}${c.minutes_after != null ? `, ${t('gaps.minutes', { n: formatNum(c.minutes_after, 0, lang) })}` : ''}`))) : el('p', { class: 'muted', id: 'gap-nochange' }, t('gaps.noChange'))) : null,
      ...(r.warnings ?? []).map((w) => el('p', { class: 'muted' }, w)),
      el('div', { class: 'actions no-print' }, el('button', { type: 'button', onclick: () => window.print() }, t('common.print'))));
  }
}
