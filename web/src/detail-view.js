// The side panel: the card of the venue (`venue` in the store) or the sheet of the commune
// (`commune`) that the state names, or what a tool put there (`panel`: `{render}`). Closing it
// clears all three. It takes the focus on its heading and gives it back when closed.

import { ApiError } from './api.js';
import { communeSheet, venueCard } from './detail.js';
import { createT } from './i18n.js';
import { status } from './page.js';
import { changed } from './store.js';
import { el, fill } from './util.js';

/** A store patch that shows a tool's content in the side panel (instead of a card or sheet). */
export function showPanel(render, { focus = true } = {}) {
  return { panel: { render, focus }, venue: null, commune: null };
}

/** A store patch that closes the side panel. */
export const CLOSED = { panel: null, venue: null, commune: null, ring: null };

export class DetailView {
  constructor(store, api, map) {
    this.store = store;
    this.api = api;
    this.map = map;
    this.t = createT(() => store.get().lang);
    this.render = null;
    this.seq = 0;
    document.getElementById('detail-close').addEventListener('click', () => store.set(CLOSED));
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.target.closest?.('form.search')) return;
      if (store.get().pick) store.set({ pick: null });
      else if (!document.getElementById('detail').hidden && !document.getElementById('dialog').open) store.set(CLOSED);
    });
    store.subscribe((s, prev, meta) => {
      if (changed(meta, 'panel') && s.panel) this.show(s.panel.render, { focus: s.panel.focus });
      if (changed(meta, 'venue') && s.venue) this.openVenue(s.venue, { reveal: meta.reveal ?? meta.from === 'hash' });
      else if (changed(meta, 'commune') && s.commune) this.openCommune(s.commune);
      if (changed(meta, 'lang')) this.render?.();
      if (!s.panel && !s.venue && !s.commune && this.render) this.hide();
    });
  }

  /** Opens what the state names at start (once the territory's venues are loaded). */
  openFromState() {
    const s = this.store.get();
    if (s.venue) this.openVenue(s.venue, { reveal: true });
    else if (s.commune) this.openCommune(s.commune);
  }

  show(render, { focus = true } = {}) {
    this.render = () => {
      const node = render();
      fill(document.getElementById('detail-body'), node);
      return node;
    };
    const panel = document.getElementById('detail');
    if (!panel.hidden) this.lastFocus ??= document.activeElement;
    else this.lastFocus = document.activeElement;
    panel.hidden = false;
    document.body.classList.add('has-detail');
    const node = this.render();
    this.map.invalidateSize();
    if (focus) node.querySelector('h2')?.focus();
  }

  hide() {
    const panel = document.getElementById('detail');
    panel.hidden = true;
    document.body.classList.remove('has-detail');
    this.render = null;
    this.map.invalidateSize();
    if (this.lastFocus && document.contains(this.lastFocus)) this.lastFocus.focus();
  }

  async openVenue(id, { reveal = false } = {}) {
    const seq = ++this.seq;
    let f = this.store.get().shown?.byId.get(String(id));
    if (!f) {
      try {
        f = await this.api.item('venues', id);
      } catch {
        if (seq === this.seq) status(this.t('venues.notFound', { id }), true);
        return;
      }
      reveal = true;
    }
    if (seq !== this.seq) return;
    const [lon, lat] = f.geometry.coordinates;
    this.store.set({ ring: { lat, lon, reveal } });
    const card = (feat) => () => venueCard(feat, this.t, this.store.get().lang, {
      onCommune: (code) => this.store.set({ commune: code, venue: null }),
      onRemove: this.store.get().overlay?.removeVenue ?? null,
    });
    this.store.set({ panel: { render: card(f), focus: true } });
    // The list holds a subset of the fields: fetch the whole feature for the card.
    try {
      const full = await this.api.item('venues', f.id);
      if (seq === this.seq && this.store.get().venue === String(id)) {
        this.store.set({ panel: { render: card({ ...f, properties: { ...f.properties, ...full.properties } }), focus: false } });
      }
    } catch {
      // The subset is enough to show the card.
    }
  }

  async openCommune(code) {
    const seq = ++this.seq;
    const t = this.t;
    this.store.set({ panel: { render: () => el('p', { class: 'muted' }, t('common.loading')), focus: true } });
    try {
      const sheet = await this.api.commune(code);
      if (seq !== this.seq || this.store.get().commune !== code) return;
      this.store.set({
        panel: { render: () => communeSheet(sheet, t, this.store.get().lang, { onVenue: (v) => this.store.set({ venue: String(v.source_id ?? v.id), commune: null }, { reveal: true }) }), focus: true },
        ring: sheet.mairie ? { lat: sheet.mairie.lat, lon: sheet.mairie.lon, reveal: false } : null,
      });
    } catch (e) {
      if (seq === this.seq) this.store.set({ panel: { render: () => el('p', { class: 'error' }, t('sheet.error', { msg: e instanceof ApiError ? e.message : String(e) })), focus: true } });
    }
  }
}
