// The tools panel: nearest venues (from a clicked point or the device's position), and, when the
// server has them (`features` in the store), the gap tool and the planning tools.

import L from './leaflet.js';
import { CLOSED, showPanel } from './detail-view.js';
import { nearestList } from './detail.js';
import { OTHER } from './facets.js';
import { GapTool } from './gaps.js';
import { createT } from './i18n.js';
import { status } from './page.js';
import { PlanTool } from './plan.js';
import { changed } from './store.js';
import { el, fill, formatInt, formatNum } from './util.js';

/** Nearest venues to a point, as a side panel and lines on the map. */
export class NearestTool {
  constructor(store, api, map) {
    this.store = store;
    this.api = api;
    this.map = map;
    this.t = createT(() => store.get().lang);
  }

  panel() {
    const t = this.t;
    const nearestBtn = el('button', {
      type: 'button', 'data-pick': 'nearest', 'aria-pressed': 'false',
      onclick: () => this.store.set({ pick: this.store.get().pick?.id === 'nearest' ? null : { id: 'nearest', message: t('nearest.pick'), callback: (ll) => this.from(ll) } }),
    }, t('nearest.button'));
    const geoBtn = 'geolocation' in navigator ? el('button', {
      type: 'button',
      onclick: () => navigator.geolocation.getCurrentPosition(
        (pos) => {
          const ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
          this.map.setView(ll, Math.max(this.map.getZoom(), 11));
          this.from(ll);
        },
        () => status(t('nearest.geoError'), true),
        { timeout: 10_000 }),
    }, t('nearest.here')) : null;
    return el('div', { class: 'tool' }, el('h3', {}, t('nearest.title')), el('p', { class: 'muted' }, t('nearest.help')), nearestBtn, geoBtn);
  }

  async from(latlng) {
    const t = this.t;
    this.layer?.remove();
    this.store.set(showPanel(() => el('p', { class: 'muted' }, t('common.loading'))));
    try {
      const known = [...this.store.get().filters.services].filter((v) => v !== OTHER);
      const res = await this.api.nearest({ lon: latlng.lng.toFixed(6), lat: latlng.lat.toFixed(6), k: 5, services: known });
      const group = L.layerGroup([], { pane: 'highlightPane' });
      L.circleMarker(latlng, { radius: 7, color: '#000', weight: 2, fillColor: '#ffd400', fillOpacity: 1, pane: 'highlightPane' }).addTo(group);
      for (const v of res.venues ?? []) {
        L.polyline([latlng, [v.lat, v.lon]], { color: '#000', weight: 2, dashArray: '4 6', pane: 'highlightPane', interactive: false }).addTo(group);
      }
      this.layer = group.addTo(this.map);
      const render = () => {
        const lang = this.store.get().lang;
        return el('article', { class: 'card', 'data-kind': 'nearest' },
          el('h2', { tabindex: '-1' }, t('nearest.title')),
          el('p', { class: 'muted' }, res.from?.commune ? t('nearest.fromCommune', { name: res.from.commune.nom }) : t('nearest.fromPoint'),
            ' ', t('nearest.hypotheses', { detour: formatNum(res.hypotheses?.facteur_detour, 1, lang), speed: formatInt(res.hypotheses?.vitesse_kmh, lang) })),
          known.length ? el('p', { class: 'muted' }, t('nearest.filtered', { services: known.join(', ') })) : null,
          nearestList(res.venues ?? [], t, lang, (v) => this.store.set({ venue: String(v.source_id ?? v.id), commune: null }, { reveal: true })),
          el('div', { class: 'actions no-print' },
            el('button', { type: 'button', onclick: () => { this.layer?.remove(); this.store.set(CLOSED); } }, t('nearest.clear')),
            el('button', { type: 'button', onclick: () => window.print() }, t('common.print'))));
      };
      this.store.set(showPanel(render));
    } catch (e) {
      this.store.set(showPanel(() => el('p', { class: 'error' }, t('nearest.error', { msg: e.message }))));
    }
  }
}

export class ToolsView {
  constructor(store, api, map) {
    this.store = store;
    this.t = createT(() => store.get().lang);
    this.nearest = new NearestTool(store, api, map);
    this.gapTool = new GapTool(store, api, map);
    this.planTool = new PlanTool(store, api, map, this.gapTool);
    store.subscribe((s, prev, meta) => {
      if (changed(meta, 'features', 'lang')) this.render();
    });
    this.render();
  }

  render() {
    const f = this.store.get().features;
    const children = [el('h2', {}, this.t('tools.title')), this.nearest.panel()];
    if (f.gaps) children.push(this.gapTool.panel());
    if (f.sites || f.tours) children.push(this.planTool.panel(f));
    fill(document.getElementById('tools'), ...children);
  }
}
