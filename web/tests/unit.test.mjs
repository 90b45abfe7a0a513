// Unit tests of the page's pure modules (no browser): opening hours, facets, permalinks,
// IFN classes, CSV, and the completeness of the French and English texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseOpeningHours } from '../src/hours.js';
import { categoriesOf, countFacets, matches, FACETS, CATEGORIES, OTHER, serverFilters, hasClientOnlyFilters } from '../src/facets.js';
import { defaultState, formatHash, parseHash } from '../src/permalink.js';
import { classOf, colorOf, discoverAxes, legendRows, RAMP, splitAxis, valueOf, AXES_2020, AXES_2023, SCALES_2020 } from '../src/ifn.js';
import { asList, fold, parseCsv, toCsv } from '../src/util.js';
import { DICTIONARIES } from '../src/i18n.js';
import { gapIfn, gapTerritory, priorityClasses, clock } from '../src/planning-model.js';

const here = dirname(fileURLToPath(import.meta.url));

test('opening hours with ranges, lists and lunch breaks read into a weekly table', () => {
  const h = parseOpeningHours('Mo-Fr 09:00-12:00,14:00-17:30; Sa 9:00-12:00; PH off');
  assert.equal(h.ok, true);
  assert.deepEqual(h.days[0].slots, ['09:00–12:00', '14:00–17:30']);
  assert.deepEqual(h.days[4].slots, ['09:00–12:00', '14:00–17:30']);
  assert.deepEqual(h.days[5].slots, ['09:00–12:00']);
  assert.equal(h.days[6], null);
  assert.equal(h.holidays, 'off');
});

test('opening hours of an itinerant bus every other week keep the week rule', () => {
  const h = parseOpeningHours('week 1-53/2 Tu 09:00-12:30');
  assert.equal(h.ok, true);
  assert.deepEqual(h.days[1].slots, ['09:00–12:30']);
  assert.deepEqual(h.days[1].week, { from: 1, to: 53, step: 2 });
});

test('opening hours that wrap the week and later rules override earlier ones', () => {
  const h = parseOpeningHours('Mo-Su 08:00-18:00; Su off; Fr-Mo 10:00-11:00');
  assert.equal(h.ok, true);
  assert.deepEqual(h.days[6].slots, ['10:00–11:00']);
  assert.deepEqual(h.days[2].slots, ['08:00–18:00']);
  assert.deepEqual(h.days[4].slots, ['10:00–11:00']);
});

test('opening hours that are free text are reported as not understood', () => {
  assert.equal(parseOpeningHours('le mardi matin sur rendez-vous').ok, false);
  assert.equal(parseOpeningHours('').ok, false);
  assert.equal(parseOpeningHours('24/7').alwaysOpen, true);
});

test('a venue without any known category falls in the Autres bucket', () => {
  assert.deepEqual(categoriesOf({ typologie: '' }), [OTHER]);
  assert.deepEqual(categoriesOf({ typologie: ['Autre'] }), [OTHER]);
  assert.deepEqual(categoriesOf({ dispositif_programmes_nationaux: 'France Services|Conseillers numériques' }), ['france-services', 'conseiller-numerique']);
  assert.deepEqual(categoriesOf({ typologie: ['BIB', 'ASSO'] }), ['bibliotheque', 'association']);
});

test('filters OR values within a facet and AND facets, with Non renseigné for empty fields', () => {
  const a = { properties: { services: ['Aide aux démarches administratives'], frais_a_charge: ['Gratuit'] } };
  const b = { properties: { services: ['Loisirs et créations numériques'], frais_a_charge: [] } };
  const c = { properties: { services: [], typologie: ['BIB'] } };
  const filters = Object.fromEntries(FACETS.map((f) => [f.id, new Set()]));
  filters.services = new Set(['Aide aux démarches administratives', 'Loisirs et créations numériques']);
  assert.deepEqual([a, b, c].filter((f) => matches(f.properties, filters)), [a, b]);
  filters.frais = new Set([OTHER]);
  assert.deepEqual([a, b, c].filter((f) => matches(f.properties, filters)), [b]);
  filters.services = new Set([OTHER]);
  assert.deepEqual([a, b, c].filter((f) => matches(f.properties, filters)), [c]);
});

test('facet counts ignore the facet itself so a button shows what clicking it would add', () => {
  const feats = [
    { properties: { services: ['Aide aux démarches administratives'], frais_a_charge: ['Gratuit'] } },
    { properties: { services: ['Aide aux démarches administratives'], frais_a_charge: ['Payant'] } },
    { properties: { services: [], frais_a_charge: ['Gratuit'] } },
  ];
  const filters = Object.fromEntries(FACETS.map((f) => [f.id, new Set()]));
  filters.frais = new Set(['Gratuit']);
  const counts = countFacets(feats, filters);
  assert.equal(counts.frais.Gratuit, 2);
  assert.equal(counts.frais.Payant, 1);
  assert.equal(counts.services['Aide aux démarches administratives'], 1);
  assert.equal(counts.services[OTHER], 1);
  assert.equal(counts.categorie[OTHER], 2);
});

test('server filters carry raw-field facets and say when a filter stays in the browser', () => {
  const filters = Object.fromEntries(FACETS.map((f) => [f.id, new Set()]));
  filters.services = new Set(['Aide aux démarches administratives']);
  filters.kind = new Set(['lieu_accueil']);
  assert.deepEqual(serverFilters(filters), [['services', 'Aide aux démarches administratives'], ['kind', 'lieu_accueil']]);
  assert.equal(hasClientOnlyFilters(filters), false);
  filters.categorie = new Set(['france-services']);
  assert.equal(hasClientOnlyFilters(filters), true);
  // The services facet matches services inferred from the France Services label, as the server does.
  const fs = { dispositif_programmes_nationaux: 'France Services', services_inferred: 'Aide aux démarches administratives' };
  assert.ok(matches(fs, { services: new Set(['Aide aux démarches administratives']) }));
});

test('a permalink round-trips the view, territory, layers, IFN choice and filters', () => {
  const s = defaultState();
  s.view = { z: 9.5, lat: 43.92801, lon: 2.14805 };
  s.territory = { kind: 'dep', code: '81' };
  s.layers = new Set(['lieux']);
  s.ifn = { model: '2020', axis: 'region_score_global' };
  s.level = 'epci';
  s.filters.categorie = new Set(['france-services', OTHER]);
  s.filters.publics = new Set(['Familles et/ou enfants']);
  s.commune = '81004';
  s.lang = 'en';
  s.embed = true;
  const back = parseHash(formatHash(s));
  assert.deepEqual(back.view, { z: 9.5, lat: 43.928, lon: 2.1481 });
  assert.deepEqual(back.territory, { kind: 'dep', code: '81' });
  assert.deepEqual([...back.layers], ['lieux']);
  assert.deepEqual(back.ifn, { model: '2020', axis: 'region_score_global' });
  assert.equal(back.level, 'epci');
  assert.deepEqual([...back.filters.categorie].sort(), ['__autres__', 'france-services']);
  assert.deepEqual([...back.filters.publics], ['Familles et/ou enfants']);
  assert.equal(back.commune, '81004');
  assert.equal(back.lang, 'en');
  assert.equal(back.embed, true);
});

test('a permalink with unknown or malformed values keeps the defaults', () => {
  const s = parseHash('#carte=99/500/2&territoire=pays:FR&ifn=2019:x&niveau=rues&categorie=inconnue&commune=abc');
  const d = defaultState();
  assert.equal(s.view, null);
  assert.equal(s.territory, null);
  assert.deepEqual(s.ifn, d.ifn);
  assert.equal(s.level, 'auto');
  assert.equal(s.filters.categorie.size, 0);
  assert.equal(s.commune, null);
  assert.equal(formatHash(defaultState()), '');
});

test('IFN 2023 deciles and IFN 2020 indices fall in their classes, zeros of 2020 count as missing', () => {
  assert.equal(classOf(0.5, '2023', 'total'), 0);
  assert.equal(classOf(9.9, '2023', 'total'), 4);
  assert.equal(classOf(100, '2020', 'region_score_global'), 2);
  assert.equal(valueOf({ x: 0 }, 'x', '2020'), null);
  assert.equal(valueOf({ x: 0 }, 'x', '2023'), 0);
  assert.equal(colorOf(null, '2023', 'total'), '#cfd3d6');
  // The access-to-interfaces axis is a coverage ratio: high = less fragile = lightest colour.
  assert.equal(colorOf(130, '2020', 'region_acces_interfaces_numeriques'), RAMP[0]);
  assert.equal(legendRows('2020', 'region_acces_interfaces_numeriques')[0][1], '≥ 115');
  assert.equal(legendRows('2023', 'total')[0][1], '< 2');
});

test('IFN properties are discovered whatever the scale is called', () => {
  const found = discoverAxes([{ properties: { ifn2023_total: 5, ifn2023_poverty_rate: 3, ifn2020_region_score_global: 101, ifn2020_departement_score_global: null, nom: 'Albi' } }]);
  assert.deepEqual(found['2023'], ['total', 'poverty_rate']);
  assert.deepEqual(found['2020'], ['region_score_global', 'departement_score_global']);
  assert.deepEqual(splitAxis('2020', 'epci_global_acces'), { axis: 'global_acces', scale: 'epci' });
});

test('CSV export quotes separators, quotes and newlines and reads back identical', () => {
  const rows = [['Médiathèque; Albi', 'dit "la Grande"', 'ligne 1\nligne 2', 2.148]];
  const text = toCsv(['nom', 'alias', 'note', 'lon'], rows);
  assert.deepEqual(parseCsv(`\uFEFF${text}`), [['nom', 'alias', 'note', 'lon'], ['Médiathèque; Albi', 'dit "la Grande"', 'ligne 1\nligne 2', '2.148']]);
});

test('multi-valued fields read from arrays or pipe-joined strings, and search folds accents', () => {
  assert.deepEqual(asList('A|B| '), ['A', 'B']);
  assert.deepEqual(asList(['A']), ['A']);
  assert.deepEqual(asList(null), []);
  assert.equal(fold("Saint-Étienne-d'Albagnan"), 'saint etienne d albagnan');
});

test('gap requests follow the server contract for territory and IFN choice', () => {
  assert.deepEqual(gapTerritory({ kind: 'dep', code: '81' }), { departements: ['81'] });
  assert.deepEqual(gapTerritory({ kind: 'epci', code: '248100737' }), { epcis: ['248100737'] });
  assert.equal(gapTerritory(null), null);
  assert.deepEqual(gapIfn({ model: '2023', axis: 'poverty_rate' }), { model: 'ifn2023', axis: 'poverty_rate' });
  assert.deepEqual(gapIfn({ model: '2020', axis: 'departement_acces_interfaces_numeriques' }), { model: 'ifn2020', scale: 'departement', axis: 'score_global' });
  const cls = priorityClasses([{ status: 'unserved', priority: 1 }, { status: 'unserved', priority: 2 }, { status: 'unserved', priority: 3 }, { status: 'unserved', priority: 4 }, { status: 'served', priority: 99 }]);
  assert.equal(cls(1), 0);
  assert.equal(cls(4), 3);
  assert.equal(clock(545), '09:05');
});

test('every interface text used by the page exists in French and in English', () => {
  const src = join(here, '../src');
  const used = new Set();
  for (const file of readdirSync(src).filter((f) => f.endsWith('.js') || f.endsWith('.html'))) {
    const text = readFileSync(join(src, file), 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n="([^"]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1].split(';')) used.add(pair.split(':')[1]);
  }
  for (const c of [...CATEGORIES.map((x) => x.id), 'other']) used.add(`cat.${c}`);
  for (const f of FACETS) {
    used.add(`facet.${f.id}`);
    if (f.field) for (const v of f.values) if (v !== OTHER) used.add(`value.${v}`);
  }
  for (const a of AXES_2023) used.add(`ifn.axis.${a}`);
  for (const a of AXES_2020) used.add(`ifn.axis.${a}`);
  for (const s of SCALES_2020) used.add(`ifn.scale.${s}`);
  for (const k of ['auto', 'communes', 'epci', 'departements']) used.add(`level.${k}`);
  for (const k of ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su']) used.add(`day.${k}`);
  for (const k of ['commune', 'epci', 'departement']) used.add(`search.kind.${k}`);
  for (const k of ['venues', 'communes', 'epci', 'departements', 'town-halls', 'gaps', 'sites', 'tours']) used.add(`collection.${k}`);
  for (const k of ['csv', 'geojson', 'gpkg', 'shp']) used.add(`format.${k}`);
  for (const k of ['territoire', 'vue', 'tout']) used.add(`scope.${k}`);
  const missing = [];
  for (const key of used) {
    // French texts of enumerated values are the values themselves (the schema is French).
    if (!(key in DICTIONARIES.fr) && !key.startsWith('value.')) missing.push(`fr:${key}`);
    if (!(key in DICTIONARIES.en)) missing.push(`en:${key}`);
  }
  assert.deepEqual(missing, []);
});

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('white symbols on category, cluster, site and day colours reach the WCAG AA contrast of 4.5:1', async () => {
  const { DAY_COLORS, GAP_COLORS } = await import('../src/planning-model.js');
  const css = readFileSync(join(here, '../src/style.css'), 'utf8');
  const clusterColors = [...css.matchAll(/marker-cluster-(?:medium|large) span \{ background: (#[0-9a-f]{6})/g)].map((m) => m[1]);
  const low = [];
  for (const c of [...CATEGORIES.map((x) => x.color), '#5c5c5c', '#0b4f91', ...clusterColors, ...DAY_COLORS, GAP_COLORS.changed, GAP_COLORS.priority[3]]) {
    if (contrast(c, '#ffffff') < 4.5) low.push(`${c}: ${contrast(c, '#ffffff').toFixed(2)}`);
  }
  assert.deepEqual(low, []);
});

test('interface text colours reach the WCAG AA contrast on their backgrounds', () => {
  const css = readFileSync(join(here, '../src/style.css'), 'utf8');
  const v = (name) => new RegExp(`--${name}: (#[0-9a-f]{6})`).exec(css)[1];
  const pairs = [[v('ink'), v('bg')], [v('muted'), v('bg')], [v('muted'), v('panel')], [v('accent'), v('bg')], [v('accent'), '#e8f0f8'], [v('accent-ink'), v('accent')], [v('danger'), v('bg')], ['#5c4400', '#fff3cd'], ['#5c6670', '#ffffff']];
  for (const [fg, bg] of pairs) assert.ok(contrast(fg, bg) >= 4.5, `${fg} sur ${bg} : ${contrast(fg, bg).toFixed(2)}`);
});

test('texts agree with their count; address placeholders are dropped', async () => {
  const { createT: makeT } = await import('../src/i18n.js');
  const { cleanAddress } = await import('../src/util.js');
  let lang = 'fr';
  const tr = makeT(() => lang);
  assert.equal(tr('plan.sitesResult', { n: 1 }), '1 site choisi');
  assert.equal(tr('plan.sitesResult', { n: 3 }), '3 sites choisis');
  assert.equal(tr('search.count', { n: 0, q: 'x' }), 'Aucun résultat pour « x »');
  assert.equal(tr('filters.summary', { shown: '1', total: '12' }), '1 lieu affiché sur 12');
  lang = 'en';
  assert.equal(tr('plan.sitesResult', { n: 1 }), '1 site chosen');
  assert.equal(tr('plan.sitesResult', { n: 0 }), '0 sites chosen');
  // Hand-made: the three Lozère addresses of conseillers-numeriques-2022.csv have this form.
  assert.equal(cleanAddress('nul nul rue principale'), 'rue principale');
  assert.equal(cleanAddress('null'), '');
  assert.equal(cleanAddress('12 Grande-Rue, Nully'), '12 Grande-Rue, Nully');
});
