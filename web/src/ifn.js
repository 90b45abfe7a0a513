// The fragility index (IFN) as a choropleth: which properties hold it, how to class and colour
// them, and how to name them. The two published models are not comparable: IFN 2020 gives ratio
// indices (100 = the reference territory), IFN 2023 gives deciles (0–10, 10 = most fragile).

// Sequential ramp, light to dark (contrast checked against the white outline and black text).
export const RAMP = ['#fff4d2', '#fdd08a', '#f39a52', '#d65940', '#8e1f3f'];
export const MISSING_COLOR = '#cfd3d6';

export const AXES_2023 = ['total', 'no_thd_coverage_rate', 'no_4g_coverage_rate', 'poverty_rate', 'older_65_rate', 'nscol15p_rate'];
export const AXES_2020 = [
  'score_global', 'acces_interfaces_numeriques', 'acces_information', 'competences_administratives',
  'competences_numeriques_scolaires', 'global_acces', 'global_competences',
];
export const SCALES_2020 = ['region', 'departement', 'epci'];
// Spellings of the scales inside property names (`ifn2020_reg_score_global`).
const SCALE_TOKENS = { reg: 'region', region: 'region', dep: 'departement', departement: 'departement', epci: 'epci' };

/** The axis and the reference scale named in a property suffix (`region_score_global`). */
export function splitAxis(model, suffix) {
  const axes = model === '2020' ? AXES_2020 : AXES_2023;
  const axis = axes.find((a) => suffix === a || suffix.endsWith(`_${a}`) || suffix.startsWith(`${a}_`)) ?? suffix;
  const scale = model === '2020' ? SCALE_TOKENS[suffix.split('_')[0]] ?? null : null;
  return { axis, scale };
}

/** IFN properties present in features: `{ '2020': [suffix…], '2023': [suffix…] }`, in axis order. */
export function discoverAxes(features) {
  const found = { 2020: new Set(), 2023: new Set() };
  for (const f of features.slice(0, 50)) {
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      const m = /^ifn_?(2020|2023)_(.+)$/.exec(k);
      if (m && (typeof v === 'number' || v == null)) found[m[1]].add(m[2]);
    }
  }
  const order = (model) => (a, b) => {
    const axes = model === '2020' ? AXES_2020 : AXES_2023;
    const sa = splitAxis(model, a);
    const sb = splitAxis(model, b);
    return (SCALES_2020.indexOf(sa.scale) - SCALES_2020.indexOf(sb.scale)) || (axes.indexOf(sa.axis) - axes.indexOf(sb.axis));
  };
  return { 2020: [...found[2020]].sort(order('2020')), 2023: [...found[2023]].sort(order('2023')) };
}

/** The property name holding a model's axis in the features, whatever the server's spelling. */
export function propertyName(features, model, suffix) {
  for (const f of features.slice(0, 20)) {
    for (const k of Object.keys(f.properties ?? {})) {
      if (k === `ifn${model}_${suffix}` || k === `ifn_${model}_${suffix}`) return k;
    }
  }
  return `ifn${model}_${suffix}`;
}

/** The default axis of a model among those available. */
export function defaultAxis(model, available) {
  if (model === '2023') return available.includes('total') ? 'total' : available[0];
  return available.find((s) => splitAxis(model, s).scale === 'region' && s.endsWith('score_global'))
    ?? available.find((s) => s.endsWith('score_global'))
    ?? available[0];
}

/** Whether higher values mean *less* fragile (IFN 2020's access-to-interfaces axis is a coverage ratio). */
export function isReversed(model, suffix) {
  return model === '2020' && splitAxis(model, suffix).axis === 'acces_interfaces_numeriques';
}

/** Class breaks of a model (upper bounds of the first four classes). */
export function breaks(model) {
  return model === '2020' ? [85, 95, 105, 115] : [2, 4, 6, 8];
}

/** The value a feature holds for the chosen axis, or null (IFN 2020 zeros mean "no data"). */
export function valueOf(props, prop, model) {
  const v = props[prop];
  if (typeof v !== 'number' || Number.isNaN(v)) return null;
  if (model === '2020' && v === 0) return null;
  return v;
}

/** The class (0–4) of a value, or -1 when missing. */
export function classOf(value, model, suffix) {
  if (value == null) return -1;
  const b = breaks(model);
  let k = b.findIndex((x) => value < x);
  if (k < 0) k = b.length;
  return isReversed(model, suffix) ? b.length - k : k;
}

/** The fill colour of a value. */
export function colorOf(value, model, suffix) {
  const k = classOf(value, model, suffix);
  return k < 0 ? MISSING_COLOR : RAMP[k];
}

/** Legend rows `[color, label]`, in ramp order (least fragile first). */
export function legendRows(model, suffix, lang = 'fr') {
  const b = breaks(model);
  const nf = (v) => v.toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR');
  const labels = [`< ${nf(b[0])}`];
  for (let i = 1; i < b.length; i++) labels.push(`${nf(b[i - 1])} – ${nf(b[i])}`);
  labels.push(`≥ ${nf(b[b.length - 1])}`);
  const rows = labels.map((label, i) => [RAMP[i], label]);
  if (isReversed(model, suffix)) {
    // Higher coverage = less fragile: the first colour goes with the highest values.
    return rows.map(([, label], i) => [RAMP[rows.length - 1 - i], label]).reverse();
  }
  return rows;
}
