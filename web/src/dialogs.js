// The page's dialogs: "À propos des données" (the layers the server has, from /api/layers) and
// "Partager" (the permalink and an <iframe> code, from the state).

import { createT } from './i18n.js';
import { copyButton, openDialog } from './page.js';
import { formatHash } from './permalink.js';
import { el, formatInt } from './util.js';

export class Dialogs {
  constructor(store, api) {
    this.store = store;
    this.api = api;
    this.t = createT(() => store.get().lang);
    document.getElementById('btn-about').addEventListener('click', () => this.about());
    document.getElementById('btn-share').addEventListener('click', () => this.share());
    document.getElementById('dialog-close').addEventListener('click', () => document.getElementById('dialog').close());
    // The attribution's link to the sources, in the map.
    document.getElementById('map').addEventListener('click', (e) => {
      if (!e.target.closest('[data-about]')) return;
      e.preventDefault();
      this.about();
    });
  }

  async about() {
    const t = this.t;
    const lang = this.store.get().lang;
    openDialog(t('about.title'), el('p', {}, t('common.loading')));
    let layers = [];
    try {
      layers = await this.api.layers();
    } catch (e) {
      openDialog(t('about.title'), el('p', { class: 'error' }, e.message));
      return;
    }
    const rows = layers.map((l) => el('tr', { 'data-layer': l.id },
      el('th', { scope: 'row' }, l.title ?? l.id),
      el('td', {}, l.source ?? ''),
      el('td', {}, l.licence ?? ''),
      el('td', {}, l.date ?? ''),
      el('td', {}, l.status?.state === 'loaded' ? t('about.loaded', { n: formatInt(l.status.count, lang) }) : el('span', { class: 'error' }, l.status?.message ?? t('about.missing')))));
    openDialog(t('about.title'), el('div', { class: 'about' },
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

  share() {
    const t = this.t;
    const state = this.store.get();
    const page = location.href.split('#')[0];
    const url = page + formatHash({ ...state, embed: false });
    const embedUrl = page + formatHash({ ...state, embed: true });
    const link = el('input', { type: 'text', readonly: true, id: 'share-url', class: 'mono', value: url });
    const code = el('textarea', { readonly: true, id: 'share-embed', class: 'mono', rows: 3 },
      `<iframe src="${embedUrl}" title="${t('share.iframeTitle')}" width="100%" height="520" style="border:0" loading="lazy"></iframe>`);
    openDialog(t('share.title'), el('div', {},
      el('label', { for: 'share-url' }, t('share.link')), el('div', { class: 'copy-row' }, link, copyButton(link, t)),
      el('label', { for: 'share-embed' }, t('share.embed')), el('div', { class: 'copy-row' }, code, copyButton(code, t)),
      el('p', { class: 'muted' }, t('share.help'))));
  }
}
