// Maillage web map: the composition root. Makes the store (the address's permalink over the
// defaults), the api client (every request of the page), then the views and tools, each taking
// (store, api) and the Leaflet map when it draws on it; the hash follows the store (store.js).

import './leaflet.js';
import './leaflet-plugins.js';
import './style.css';
import { createApi } from './api.js';
import { Dialogs } from './dialogs.js';
import { DetailView } from './detail-view.js';
import { createT, detectLang } from './i18n.js';
import { MapView } from './map-view.js';
import { MobileView } from './mobile.js';
import { ExportView, FiltersView, LayersView, TableView } from './panels.js';
import { bindHash, changed, createStore, stateFromHash } from './store.js';
import { TerritoryView, parseTerritory } from './territory.js';
import { ToolsView } from './tools-view.js';

/** The state at start: the permalink of the address, then what the page loads as it goes. */
function initialState(config) {
  const s = stateFromHash(location.hash, { lang: detectLang() });
  return {
    ...s,
    territory: s.territory ?? parseTerritory(config.default_territory),
    embed: s.embed || new URLSearchParams(location.search).has('embed'),
    place: null, // what is known of the territory: {kind, code, name, bbox}
    departements: [], // [{code, name, bbox}]
    ifnAxes: { 2020: [], 2023: [] }, // the IFN fields the areas have
    features: { collections: new Set() }, // the optional endpoints of the server
    shown: null, // the venues loaded and those the filters keep (map-view.js Shown)
    bounds: null, // the map's box [w, s, e, n]
    pick: null, // a tool waiting for a click on the map: {id, message, callback}
    panel: null, // the side panel's content: {render, focus}
    ring: null, // the place ringed on the map: {lat, lon, reveal}
    overlay: null, // a tool's colouring of the communes (gaps.js overlay())
  };
}

/** The texts of the static page (index.html), in the state's language. */
function applyStatic(lang, t) {
  document.documentElement.lang = lang;
  document.title = t('app.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      node.setAttribute(attr, t(key));
    }
  }
  const btn = document.getElementById('btn-lang');
  btn.textContent = lang === 'fr' ? 'English' : 'Français';
  btn.lang = lang === 'fr' ? 'en' : 'fr';
  btn.setAttribute('aria-label', lang === 'fr' ? 'Switch to English' : 'Passer en français');
}

async function start() {
  performance.mark('maillage:start');
  document.body.dataset.state = 'loading';
  const api = createApi();
  const config = await api.config().catch(() => ({}));
  const store = createStore(initialState(config));
  const t = createT(() => store.get().lang);
  document.body.classList.toggle('embed', store.get().embed);
  applyStatic(store.get().lang, t);

  const mapView = new MapView(store, api, config);
  const map = mapView.map;
  const territory = new TerritoryView(store, api, map);
  new FiltersView(store);
  new LayersView(store, { tiles: Boolean(mapView.tiles) });
  new TableView(store);
  const detail = new DetailView(store, api, map);
  const tools = new ToolsView(store, api, map);
  new ExportView(store, api);
  new Dialogs(store, api);
  new MobileView(map);
  bindHash(store, window);

  document.getElementById('btn-lang').addEventListener('click', () => {
    const lang = store.get().lang === 'fr' ? 'en' : 'fr';
    try {
      localStorage.setItem('maillage-lang', lang);
    } catch {
      // Private mode: the hash still carries the language.
    }
    store.set({ lang });
  });
  store.subscribe((s, prev, meta) => {
    if (changed(meta, 'lang')) applyStatic(s.lang, t);
    if (changed(meta, 'embed')) document.body.classList.toggle('embed', s.embed);
  });
  // For the browser tests and the console.
  window.maillage = { store, api, map, mapView, areas: mapView.areas, gapTool: tools.gapTool, planTool: tools.planTool };

  const departements = territory.loadDepartements();
  await mapView.loadTerritory({ fit: !store.get().view });
  // First meaningful paint: venues and areas of the territory drawn, from navigation start.
  performance.mark('maillage:first-paint');
  performance.measure('maillage:first-meaningful-paint', { start: 0, end: 'maillage:first-paint' });
  await departements;
  document.body.dataset.state = 'ready';
  mapView.world.enable();
  detail.openFromState();
  const features = await api.features().catch(() => null);
  if (features) store.set({ features });
}

start().catch((e) => {
  document.body.dataset.state = 'error';
  const s = document.getElementById('map-status');
  if (s) {
    s.textContent = `Erreur au démarrage : ${e.message}`;
    s.classList.add('error');
  }
});
