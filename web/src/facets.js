// Filter facets on venues. A facet's values are the schema's enumerations; a venue with none of
// the listed values falls in the facet's last bucket ("Autres" for categories, "Non renseigné"
// elsewhere), as on the regional maps. Within a facet values are OR-ed, facets are AND-ed.

import { asList } from './util.js';

export const OTHER = '__autres__';

// Categories: national programmes first, then the typology codes of data.inclusion
// (typologies de structure) grouped into families a secrétaire de mairie recognises.
export const CATEGORIES = [
  { id: 'france-services', color: '#0b5fa5', symbol: 'FS',
    test: (p) => has(p.dispositif_programmes_nationaux, 'France Services') || hasAny(p.typologie, ['RFS', 'MSAP']) },
  { id: 'conseiller-numerique', color: '#7a3e9d', symbol: 'CN',
    test: (p) => has(p.dispositif_programmes_nationaux, 'Conseillers numériques') },
  { id: 'aidants-connect', color: '#00796b', symbol: 'AC',
    test: (p) => has(p.dispositif_programmes_nationaux, 'Aidants Connect') },
  { id: 'bibliotheque', color: '#a3500b', symbol: 'B',
    test: (p) => hasAny(p.typologie, ['BIB', 'MEDIATHEQUE']) || has(p.dispositif_programmes_nationaux, 'Bibliothèques numérique de référence') },
  { id: 'collectivite', color: '#37474f', symbol: 'M',
    test: (p) => hasAny(p.typologie, ['MUNI', 'CC', 'CA', 'CU', 'EPCI', 'CD', 'CCAS', 'CIAS', 'DEPT', 'REG']) },
  { id: 'social', color: '#b0245a', symbol: 'S',
    test: (p) => hasAny(p.typologie, ['CS', 'MQ', 'MJC', 'PIJ_BIJ', 'PIMMS', 'CAF', 'CPAM', 'MDS']) },
  { id: 'tiers-lieu', color: '#2e7d32', symbol: 'T',
    test: (p) => hasAny(p.typologie, ['TIERS_LIEUX', 'EPN', 'FABLAB']) },
  { id: 'association', color: '#8d6e00', symbol: 'A',
    test: (p) => hasAny(p.typologie, ['ASSO']) },
];
export const OTHER_CATEGORY = { id: OTHER, color: '#5c5c5c', symbol: '•' };

function has(value, wanted) {
  return asList(value).includes(wanted);
}
function hasAny(value, wanted) {
  const list = asList(value);
  return wanted.some((w) => list.includes(w));
}

/** Category ids of a venue's properties (at least one: `OTHER` when none matches). */
export function categoriesOf(props) {
  const ids = CATEGORIES.filter((c) => c.test(props)).map((c) => c.id);
  return ids.length ? ids : [OTHER];
}

/** The category that gives the marker its colour (the first in list order). */
export function mainCategory(props) {
  return CATEGORIES.find((c) => c.test(props)) ?? OTHER_CATEGORY;
}

export const FACETS = [
  { id: 'categorie', values: [...CATEGORIES.map((c) => c.id), OTHER], of: categoriesOf },
  { id: 'services', field: 'services', values: [
    'Aide aux démarches administratives',
    'Maîtrise des outils numériques du quotidien',
    'Insertion professionnelle via le numérique',
    'Utilisation sécurisée du numérique',
    'Parentalité et éducation avec le numérique',
    'Loisirs et créations numériques',
    'Compréhension du monde numérique',
    'Accès internet et matériel informatique',
    'Acquisition de matériel informatique à prix solidaire',
  ] },
  { id: 'publics', field: 'publics_specifiquement_adresses', values: ['Jeunes', 'Étudiants', 'Familles et/ou enfants', 'Seniors', 'Femmes'] },
  { id: 'frais', field: 'frais_a_charge', values: ['Gratuit', 'Gratuit sous condition', 'Payant'] },
  { id: 'accompagnement', field: 'modalites_accompagnement', values: ['En autonomie', 'Accompagnement individuel', 'Dans un atelier collectif', 'À distance'] },
  { id: 'itinerance', field: 'itinerance', values: ['Fixe', 'Itinérant'] },
  // What the venue is (server field `kind`): a place receiving the public, mobile help, or an
  // Aidants Connect accreditation (not a place).
  { id: 'kind', field: 'kind', values: ['lieu_accueil', 'itinerant', 'habilitation'] },
];
for (const f of FACETS) {
  if (f.field) {
    const known = f.values;
    f.values = [...known, OTHER];
    f.of = (p) => {
      const got = asList(p[f.field]).filter((v) => known.includes(v));
      return got.length ? got : [OTHER];
    };
  }
}

// A France Services carries no declared services; the server infers those its label implies
// (`services_inferred`). The services facet matches declared or inferred services, as the
// server's `services=` filter does.
{
  const services = FACETS.find((f) => f.id === 'services');
  const known = services.values.filter((v) => v !== OTHER);
  services.of = (p) => {
    const got = [...asList(p.services), ...asList(p.services_inferred)].filter((v, i, all) => known.includes(v) && all.indexOf(v) === i);
    return got.length ? got : [OTHER];
  };
}

/** The facet with that id. */
export function facet(id) {
  return FACETS.find((f) => f.id === id);
}

/** Whether a venue passes the filters (`{facetId: Set of values}`; empty sets let all through). */
export function matches(props, filters, except = null) {
  for (const f of FACETS) {
    if (f.id === except) continue;
    const wanted = filters[f.id];
    if (!wanted || wanted.size === 0) continue;
    if (!f.of(props).some((v) => wanted.has(v))) return false;
  }
  return true;
}

/**
 * Live counts per facet value: for each facet, how many venues pass every *other* facet and
 * carry that value (so a button shows what clicking it would add).
 */
export function countFacets(features, filters) {
  const counts = {};
  for (const f of FACETS) counts[f.id] = Object.fromEntries(f.values.map((v) => [v, 0]));
  for (const feat of features) {
    const p = feat.properties;
    for (const f of FACETS) {
      if (!matches(p, filters, f.id)) continue;
      for (const v of f.of(p)) if (v in counts[f.id]) counts[f.id][v]++;
    }
  }
  return counts;
}

/** Server-side attribute filters equivalent to the raw-field facets (categories have none). */
export function serverFilters(filters) {
  const out = [];
  for (const f of FACETS) {
    const wanted = filters[f.id];
    if (!f.field || !wanted || wanted.size === 0) continue;
    const values = [...wanted].filter((v) => v !== OTHER);
    if (values.length) out.push([f.field, values.join(',')]);
  }
  return out;
}

/** Whether some active filter cannot be passed to the server (categories, "Autres"). */
export function hasClientOnlyFilters(filters) {
  return FACETS.some((f) => {
    const wanted = filters[f.id];
    return wanted && wanted.size > 0 && (!f.field || wanted.has(OTHER));
  });
}
