// Planning tools: choose permanence sites (POST /api/plan/sites) and build multi-day tours from a
// home base (POST /api/plan/tours), drawn as one coloured line per day with a printable itinerary.
// Candidates are the unserved communes of the territory, from the gap analysis.

import L from './leaflet.js';
import { CLOSED, showPanel } from './detail-view.js';
import { createT } from './i18n.js';
import { status } from './page.js';
import { territoryLabel } from './territory.js';
import { el, formatInt, formatNum } from './util.js';
import { DAY_COLORS, DASHES, clock } from './planning-model.js';

export class PlanTool {
  constructor(store, api, map, gaps) {
    this.store = store;
    this.api = api;
    this.map = map;
    this.gaps = gaps;
    this.t = createT(() => store.get().lang);
    this.base = null;
    this.days = 10;
    this.dayHours = 7;
    this.service = 120;
    this.p = 5;
    this.objective = 'coverage';
    this.radius = 20;
    this.tours = null;
    this.sites = null;
    this.layer = L.layerGroup([], { pane: 'gapsPane' });
  }

  /** Redraws the tool's part of the tools panel. */
  refresh() {
    if (this.node?.isConnected) this.node.replaceWith(this.panel(this.store.get().features));
  }

  num(id, value, min, max, step, onChange) {
    const input = el('input', { type: 'number', id, min, max, step, value, inputmode: 'numeric' });
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (v >= min && v <= max) onChange(v);
    });
    return input;
  }

  panel(features) {
    const t = (...a) => this.t(...a);
    const parts = [el('h3', {}, t('plan.title'))];
    if (features.sites) {
      const objective = el('select', { id: 'plan-objective' },
        ...['coverage', 'median'].map((o) => el('option', { value: o, selected: this.objective === o }, t(`plan.objective.${o}`))));
      objective.addEventListener('change', () => {
        this.objective = objective.value;
      });
      parts.push(el('fieldset', { class: 'plan-block' },
        el('legend', {}, t('plan.sitesTitle')),
        el('label', { for: 'plan-p' }, t('plan.p')), this.num('plan-p', this.p, 1, 200, 1, (v) => (this.p = v)),
        el('label', { for: 'plan-objective' }, t('plan.objective')), objective,
        el('label', { for: 'plan-radius' }, t('plan.radius')), this.num('plan-radius', this.radius, 1, 180, 1, (v) => (this.radius = v)),
        el('button', { type: 'button', id: 'plan-sites-run', onclick: () => this.runSites() }, t('plan.runSites'))));
    }
    if (features.tours) {
      parts.push(el('fieldset', { class: 'plan-block' },
        el('legend', {}, t('plan.toursTitle')),
        el('p', { id: 'plan-base' }, this.base ? t('plan.baseSet', { lat: this.base.lat.toFixed(4), lon: this.base.lng.toFixed(4) }) : t('plan.baseNone')),
        el('button', {
          type: 'button', 'data-pick': 'base', 'aria-pressed': 'false',
          onclick: () => this.store.set({ pick: { id: 'base', message: t('plan.basePicking'), callback: (ll) => this.setBase(ll) } }),
        }, t('plan.basePick')),
        el('label', { for: 'plan-days' }, t('plan.days')), this.num('plan-days', this.days, 1, 60, 1, (v) => (this.days = v)),
        el('label', { for: 'plan-hours' }, t('plan.dayHours')), this.num('plan-hours', this.dayHours, 1, 12, 0.5, (v) => (this.dayHours = v)),
        el('label', { for: 'plan-service' }, t('plan.service')), this.num('plan-service', this.service, 15, 480, 15, (v) => (this.service = v)),
        el('button', { type: 'button', id: 'plan-tours-run', disabled: !this.base, onclick: () => this.runTours() }, t('plan.runTours'))));
    }
    if (this.tours || this.sites) parts.push(el('button', { type: 'button', onclick: () => this.clear() }, t('plan.clear')));
    this.node = el('div', { class: 'tool', id: 'plan-tool' }, ...parts);
    return this.node;
  }

  setBase(latlng) {
    this.base = latlng;
    this.layer.addTo(this.map);
    this.baseMarker?.remove();
    this.baseMarker = L.marker(latlng, {
      pane: 'gapsPane', keyboard: true, title: this.t('plan.base'),
      icon: L.divIcon({ className: 'base-marker', html: '<span aria-hidden="true">⌂</span>', iconSize: [28, 28], iconAnchor: [14, 14] }),
    }).addTo(this.layer);
    this.refresh();
  }

  /** Unserved communes of the territory (running the gap analysis first if needed). */
  async candidates() {
    const gaps = this.gaps;
    if (!gaps.result) await gaps.run();
    if (!gaps.result) return null;
    return gaps.result.communes;
  }

  async runTours() {
    const t = (...a) => this.t(...a);
    if (!this.store.get().territory) {
      status(t('plan.needTerritory'), true);
      return;
    }
    const communes = await this.candidates();
    if (!communes) return;
    // Communes are sent by code: the server meets at the town hall with its opening hours,
    // or at the same point inside the commune as the gap analysis when it is not located.
    const stops = communes.filter((c) => c.status === 'unserved' && c.access_lonlat).map((c) => (
      { id: String(c.code), commune: String(c.code), weight: c.priority, service_minutes: this.service }));
    if (!stops.length) {
      status(t('plan.noUnserved'), true);
      return;
    }
    status(t('plan.running'));
    try {
      this.tours = await this.api.tours({
        base: { id: 'base', lon: Number(this.base.lng.toFixed(6)), lat: Number(this.base.lat.toFixed(6)) },
        stops,
        days: this.days,
        day_minutes: this.dayHours * 60,
      });
    } catch (e) {
      if (e.status === 404 || e.status === 405) this.store.set({ features: { ...this.store.get().features, tours: false } });
      status(t('plan.error', { msg: e.message }), true);
      return;
    }
    this.names = new Map(communes.map((c) => [String(c.code), c.name]));
    status('');
    this.refresh();
    this.store.set(showPanel(() => this.itinerary()));
    // Drawn once the side panel is open, so the fit uses the map's final size.
    this.drawTours();
  }

  drawTours() {
    this.layer.clearLayers();
    if (this.baseMarker) this.baseMarker.addTo(this.layer);
    const bounds = L.latLngBounds([]);
    for (const [i, day] of (this.tours?.days ?? []).entries()) {
      if (!day.geometry || !day.stops.length) continue;
      const color = DAY_COLORS[i % DAY_COLORS.length];
      const dash = DASHES[Math.floor(i / DAY_COLORS.length) % DASHES.length];
      const line = L.geoJSON(day.geometry, { pane: 'gapsPane', style: { color, weight: 4, opacity: 0.9, dashArray: dash } });
      line.bindTooltip(this.t('plan.day', { n: day.day }), { sticky: true });
      line.addTo(this.layer);
      bounds.extend(line.getBounds());
      const coords = day.geometry.coordinates ?? [];
      day.stops.forEach((id, k) => {
        const c = coords[k + 1];
        if (!c) return;
        L.marker([c[1], c[0]], {
          pane: 'gapsPane', keyboard: true, title: `${this.t('plan.day', { n: day.day })} — ${k + 1}. ${this.names?.get(id) ?? id}`,
          icon: L.divIcon({ className: 'stop-marker', html: `<span style="background:${color}" aria-hidden="true">${k + 1}</span>`, iconSize: [22, 22], iconAnchor: [11, 11] }),
        }).addTo(this.layer);
      });
    }
    this.layer.addTo(this.map);
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [20, 20] });
  }

  itinerary() {
    const t = (...a) => this.t(...a);
    const lang = this.store.get().lang;
    const r = this.tours;
    const days = (r.days ?? []).filter((d) => d.stops.length);
    return el('article', { class: 'card itinerary', 'data-kind': 'tours' },
      el('h2', { tabindex: '-1' }, `${t('plan.itinerary')} — ${territoryLabel(this.store.get(), t)}`),
      el('p', {}, t('plan.totalTravel', { n: formatInt(r.total_travel, lang) }), ' · ', t('plan.unvisited', { n: formatInt(r.unvisited?.length ?? 0, lang) })),
      ...days.map((d) => {
        const i = r.days.indexOf(d);
        return el('section', { class: 'tour-day' },
          el('h3', {}, el('span', { class: 'swatch', style: `background:${DAY_COLORS[i % DAY_COLORS.length]}` }), `${t('plan.day', { n: d.day })} — ${d.weekday}`),
          el('table', { class: 'data' },
            el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('plan.stop')), el('th', { scope: 'col' }, t('table.commune')), el('th', { scope: 'col' }, t('plan.arrival')))),
            el('tbody', {},
              el('tr', {}, el('td', {}, '–'), el('td', {}, t('plan.start')), el('td', { class: 'num' }, clock(d.departure))),
              ...d.stops.map((id, k) => el('tr', {}, el('td', { class: 'num' }, String(k + 1)), el('td', {}, this.names?.get(id) ?? id), el('td', { class: 'num' }, clock(d.service_starts?.[k] ?? d.arrivals[k])))),
              el('tr', {}, el('td', {}, '–'), el('td', {}, t('plan.end')), el('td', { class: 'num' }, clock(d.return_time))))),
          el('p', { class: 'muted' }, t('plan.travel', { n: formatNum(d.travel_minutes, 0, lang) }), ' · ', t('plan.total', { n: formatNum(d.total_minutes, 0, lang) })));
      }),
      r.unvisited?.length ? el('details', {}, el('summary', {}, t('plan.unvisited', { n: r.unvisited.length })),
        el('ul', {}, ...r.unvisited.map((u) => el('li', {}, `${this.names?.get(u.id) ?? u.id} : ${u.reason}`)))) : null,
      el('div', { class: 'actions no-print' }, el('button', { type: 'button', onclick: () => window.print() }, t('common.print'))));
  }

  async runSites() {
    const t = (...a) => this.t(...a);
    if (!this.store.get().territory) {
      status(t('plan.needTerritory'), true);
      return;
    }
    const communes = await this.candidates();
    if (!communes) return;
    // Demand: the unserved communes at their access point, weighted by the gap analysis's
    // priority (population × IFN); candidates: the same communes by code (town hall, or a point inside) at the
    // threshold chosen here. Costs in minutes at 50 km/h.
    const unserved = communes.filter((c) => c.access_lonlat && c.status === 'unserved');
    if (!unserved.length) {
      status(t('plan.noUnserved'), true);
      return;
    }
    const at = (c) => ({ lon: c.access_lonlat[0], lat: c.access_lonlat[1] });
    const body = {
      demand: unserved.map((c) => ({ id: String(c.code), ...at(c), weight: c.priority })),
      candidates: unserved.map((c) => ({ id: String(c.code), commune: String(c.code) })),
      p: Math.min(this.p, unserved.length),
      objective: this.objective,
      speed_kmh: 50,
    };
    if (this.objective === 'coverage') body.radius = this.radius;
    status(t('plan.running'));
    try {
      this.sites = await this.api.sites(body);
    } catch (e) {
      if (e.status === 404 || e.status === 405) this.store.set({ features: { ...this.store.get().features, sites: false } });
      status(t('plan.error', { msg: e.message }), true);
      return;
    }
    status('');
    const lang = this.store.get().lang;
    const byCode = new Map(communes.map((c) => [String(c.code), c]));
    this.layer.clearLayers();
    if (this.baseMarker) this.baseMarker.addTo(this.layer);
    const chosen = (this.sites.sites ?? []).map((s) => (typeof s === 'object' ? String(s.id) : String(s)));
    const markers = new Map();
    chosen.forEach((id, k) => {
      const c = byCode.get(id);
      if (!c?.access_lonlat) return;
      markers.set(id, L.marker([c.access_lonlat[1], c.access_lonlat[0]], {
        pane: 'gapsPane', keyboard: true, title: `${k + 1}. ${c.name}`,
        icon: L.divIcon({ className: 'site-marker', html: `<span aria-hidden="true">${k + 1}</span>`, iconSize: [26, 26], iconAnchor: [13, 13] }),
      }).addTo(this.layer));
    });
    this.layer.addTo(this.map);
    this.refresh();
    // A row of the list shows its site: the map pans to it and both are highlighted.
    const showSite = (id, button) => {
      const m = markers.get(id);
      if (!m) return;
      for (const [other, mk] of markers) mk.getElement()?.classList.toggle('current', other === id);
      for (const li of button.closest('ol').children) li.toggleAttribute('aria-current', li === button.closest('li'));
      button.closest('li').setAttribute('aria-current', 'true');
      this.map.setView(m.getLatLng(), Math.max(this.map.getZoom(), 11));
    };
    this.store.set(showPanel(() => el('article', { class: 'card', 'data-kind': 'sites' },
      el('h2', { tabindex: '-1' }, `${t('plan.sitesTitle')} — ${territoryLabel(this.store.get(), t)}`),
      el('p', {}, t('plan.sitesResult', { n: chosen.length }), ' · ',
        this.sites.covered_weight
          ? t('plan.coveredTotal', { v: formatNum(this.sites.objective_value, 0, lang), uncovered: formatNum(this.sites.covered_weight.uncovered, 0, lang) })
          : t('plan.objectiveValue', { v: formatNum(this.sites.objective_value, 1, lang), unit: this.sites.unit ?? '' })),
      el('ol', { class: 'nearest', id: 'plan-sites' }, ...chosen.map((id, k) => {
        const c = byCode.get(id);
        const covered = this.sites.covered_weight?.per_site?.[k];
        return el('li', { 'data-site': id }, el('button', { type: 'button', class: 'link', onclick: (e) => showSite(id, e.currentTarget) }, c?.name ?? id),
          el('span', { class: 'muted' }, [c ? ` ${formatInt(c.population, lang)} hab.` : '', covered != null ? ` · ${t('plan.covered')} : ${formatNum(covered, 0, lang)}` : ''].join('')),
          ' ', el('button', { type: 'button', class: 'link small no-print', onclick: () => this.store.set({ commune: id, venue: null }) }, t('plan.sheet'), el('span', { class: 'sr-only' }, ` ${c?.name ?? id}`)));
      })),
      el('div', { class: 'actions no-print' }, el('button', { type: 'button', onclick: () => window.print() }, t('common.print'))))));
    // Fitted once the side panel is open, so the fit uses the map's final size.
    const bounds = L.latLngBounds([...markers.values()].map((m) => m.getLatLng()));
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 });
  }

  clear() {
    this.tours = null;
    this.sites = null;
    this.layer.clearLayers();
    if (this.baseMarker) this.baseMarker.addTo(this.layer);
    this.refresh();
    this.store.set(CLOSED);
  }
}
