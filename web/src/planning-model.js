// Pure parts of the gap and planning tools (request building, classes, colours), tested in node.

import { splitAxis } from './ifn.js';

export const GAP_COLORS = { served: '#d7ebd0', changed: '#1f7a43', unlocated: '#cfd3d6', priority: ['#f7c59f', '#ee8a4e', '#c8472b', '#7a1c1c'] };

/** The territory of a gap request from the map's territory. */
export function gapTerritory(territory) {
  if (!territory) return null;
  if (territory.kind === 'dep') return { departements: [territory.code] };
  if (territory.kind === 'epci') return { epcis: [territory.code] };
  return { communes: [territory.code] };
}

/** The IFN choice of a gap request from the choropleth's model and axis (the coverage axis cannot weigh). */
export function gapIfn(ifn) {
  if (ifn.model === '2023') return { model: 'ifn2023', axis: ifn.axis || 'total' };
  const { axis, scale } = splitAxis('2020', ifn.axis);
  if (axis === 'acces_interfaces_numeriques') return { model: 'ifn2020', scale: scale ?? 'region', axis: 'score_global' };
  return { model: 'ifn2020', scale: scale ?? 'region', axis };
}

/** Priority class (0–3) of unserved communes, by quartile of priority among them. */
export function priorityClasses(communes) {
  const pr = communes.filter((c) => c.status === 'unserved').map((c) => c.priority).sort((a, b) => a - b);
  const q = (p) => pr[Math.floor(p * (pr.length - 1))] ?? 0;
  const cuts = [q(0.25), q(0.5), q(0.75)];
  return (priority) => cuts.filter((c) => priority > c).length;
}

// Distinguishable day colours (dark enough for white text and thin lines on the light background).
export const DAY_COLORS = ['#1f5fa8', '#c0392b', '#1e8449', '#8e44ad', '#935c08', '#117a8b', '#6d4c41', '#c2185b', '#2e4053', '#7d6608'];
export const DASHES = [null, '8 5', '2 5', '12 4 2 4'];

/** Minutes after midnight as `HH:MM`. */
export function clock(minutes) {
  const m = Math.round(minutes);
  return `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

