// The table under the map: venues of the filtered set (in view, or all of the territory),
// sortable by column, exportable as CSV with their coordinates.

import { asList, cleanAddress, compareValues, el, formatDate, isApprox, toCsv } from './util.js';
import { categoriesOf, OTHER } from './facets.js';

const PAGE = 200;

export const COLUMNS = [
  { id: 'nom', get: (p) => p.nom ?? '' },
  { id: 'categorie', get: (p, t) => categoriesOf(p).map((c) => t(`cat.${c === OTHER ? 'other' : c}`)).join(', ') },
  { id: 'adresse', get: (p) => [p.adresse, p.complement_adresse].map(cleanAddress).filter(Boolean).join(', ') },
  { id: 'commune', get: (p) => [p.code_postal, p.commune].filter(Boolean).join(' ') },
  { id: 'services', get: (p) => asList(p.services).length, title: (p) => asList(p.services).join(' · ') },
  { id: 'frais', get: (p, t) => asList(p.frais_a_charge).map((v) => (t ? t(`value.${v}`, {}, v) : v)).join(', ') },
  { id: 'telephone', get: (p) => p.telephone ?? '' },
  { id: 'date_maj', get: (p) => p.date_maj ?? '' },
];

/** The CSV export of venues: every useful field and the WGS84 coordinates. */
export function venuesCsv(features, t) {
  const header = [
    'id', 'nom', 'categorie', 'adresse', 'complement_adresse', 'code_postal', 'commune', 'code_insee',
    'typologie', 'services', 'publics_specifiquement_adresses', 'frais_a_charge', 'modalites_accompagnement',
    'modalites_acces', 'itinerance', 'telephone', 'courriels', 'site_web', 'horaires', 'date_maj', 'source',
    'position', 'longitude', 'latitude',
  ];
  const rows = features.map((f) => {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    const list = (v) => asList(v).join('|');
    return [
      f.id, p.nom, categoriesOf(p).map((c) => t(`cat.${c === OTHER ? 'other' : c}`)).join('|'), p.adresse,
      p.complement_adresse, p.code_postal, p.commune, p.code_insee, list(p.typologie), list(p.services),
      list(p.publics_specifiquement_adresses), list(p.frais_a_charge), list(p.modalites_accompagnement),
      list(p.modalites_acces), list(p.itinerance), p.telephone, list(p.courriels), list(p.site_web), p.horaires,
      p.date_maj, p.source, isApprox(p) ? 'approximative (mairie)' : 'exacte',
      lon.toFixed(6), lat.toFixed(6),
    ];
  });
  return '\uFEFF' + toCsv(header, rows, ';');
}

export class VenueTable {
  constructor(root, { t, lang, onOpen, onExport }) {
    this.root = root;
    this.t = t;
    this.lang = lang;
    this.onOpen = onOpen;
    this.onExport = onExport;
    this.sort = { col: 'nom', dir: 1 };
    this.rows = [];
    this.shown = PAGE;
  }

  /** Replaces the rows (features) and redraws. */
  set(features) {
    this.rows = features;
    this.shown = PAGE;
    this.render();
  }

  sorted() {
    const col = COLUMNS.find((c) => c.id === this.sort.col) ?? COLUMNS[0];
    const keyed = this.rows.map((f) => [col.get(f.properties, this.t), f]);
    keyed.sort((a, b) => compareValues(a[0], b[0]) * this.sort.dir || compareValues(a[1].properties.nom, b[1].properties.nom));
    return keyed.map(([, f]) => f);
  }

  render() {
    const t = this.t;
    const tbody = this.root.querySelector('tbody');
    const thead = this.root.querySelector('thead tr');
    thead.replaceChildren(
      ...COLUMNS.map((c) => {
        const active = this.sort.col === c.id;
        const dir = active ? (this.sort.dir > 0 ? 'ascending' : 'descending') : null;
        return el('th', { scope: 'col', 'aria-sort': dir ?? 'none' },
          el('button', {
            type: 'button', class: 'sort', 'data-col': c.id,
            onclick: () => {
              this.sort = { col: c.id, dir: active ? -this.sort.dir : 1 };
              this.render();
              this.root.querySelector(`button[data-col="${c.id}"]`)?.focus();
            },
          }, t(`table.${c.id}`), el('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (this.sort.dir > 0 ? '▲' : '▼') : '↕')));
      }),
    );
    const rows = this.sorted().slice(0, this.shown);
    tbody.replaceChildren(
      ...rows.map((f) => {
        const p = f.properties;
        return el('tr', { 'data-venue': String(f.id) },
          ...COLUMNS.map((c) => {
            if (c.id === 'nom') {
              return el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', onclick: () => this.onOpen(f) }, p.nom || t('venues.unnamed')),
                isApprox(p) ? el('span', { class: 'badge approx', title: t('venues.approxLong') }, t('venues.approx')) : null);
            }
            if (c.id === 'date_maj') return el('td', {}, p.date_maj ? formatDate(p.date_maj, this.lang()) : '–');
            if (c.id === 'services') {
              const n = c.get(p);
              return el('td', { class: 'num', title: c.title(p) }, n ? String(n) : '–');
            }
            return el('td', {}, c.get(p, t) || '–');
          }));
      }),
    );
    const more = this.root.querySelector('.table-more');
    more.hidden = this.rows.length <= this.shown;
    more.textContent = t('table.more', { n: Math.min(PAGE, this.rows.length - this.shown), total: this.rows.length });
    more.onclick = () => {
      this.shown += PAGE;
      this.render();
    };
    this.root.querySelector('.table-empty').hidden = this.rows.length > 0;
  }

  /** Downloads the rows as CSV (all of them, not only those drawn). */
  exportCsv(filename) {
    const csv = venuesCsv(this.sorted(), this.t);
    const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
