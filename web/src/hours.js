// Reads the common forms of OSM `opening_hours` (the schema's `horaires` field) into a weekly
// table: `Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off`, `week 1-53/2 Tu 09:00-12:30`,
// `24/7`. Anything else is reported as not understood, and the card shows the raw text.

const DAY_CODES = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

function parseDays(spec) {
  const days = new Set();
  for (const part of spec.split(',')) {
    const m = /^(Mo|Tu|We|Th|Fr|Sa|Su)(?:\[[^\]]*\])?(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$/.exec(part.trim());
    if (!m) return null;
    const a = DAY_CODES.indexOf(m[1]);
    const b = m[2] ? DAY_CODES.indexOf(m[2]) : a;
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}

function parseTimes(spec) {
  const out = [];
  for (const part of spec.split(',')) {
    const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\+?$/.exec(part.trim());
    if (!m) return null;
    out.push(`${m[1].padStart(2, '0')}:${m[2]}–${m[3].padStart(2, '0')}:${m[4]}`);
  }
  return out;
}

/**
 * Parses an opening_hours string.
 * Returns `{ ok, days: Array(7) of {slots: string[], week: string|null} | null, alwaysOpen,
 * holidays: 'off'|string[]|null }`; `ok` is false when a rule is not understood.
 */
export function parseOpeningHours(text) {
  const result = { ok: true, days: Array(7).fill(null), alwaysOpen: false, holidays: null };
  const src = String(text ?? '').trim();
  if (!src) return { ...result, ok: false };
  for (let rule of src.split(/;|\|\|/)) {
    rule = rule.trim().replace(/"[^"]*"/g, '').trim();
    if (!rule) continue;
    if (rule === '24/7') {
      result.alwaysOpen = true;
      continue;
    }
    let week = null;
    const w = /^week\s+(\d{1,2})(?:-(\d{1,2}))?(?:\/(\d))?\s+/.exec(rule);
    if (w) {
      week = { from: Number(w[1]), to: Number(w[2] ?? w[1]), step: Number(w[3] ?? 1) };
      rule = rule.slice(w[0].length);
    }
    const m = /^(\S+)\s*(.*)$/.exec(rule);
    if (!m) {
      result.ok = false;
      continue;
    }
    const [, daySpec, rest] = m;
    const off = /^(off|closed)$/i.test(rest.trim());
    if (daySpec === 'PH') {
      result.holidays = off ? 'off' : parseTimes(rest) ?? 'off';
      continue;
    }
    const days = parseDays(daySpec);
    const times = off ? [] : parseTimes(rest);
    if (!days || times == null) {
      result.ok = false;
      continue;
    }
    for (const d of days) result.days[d] = { slots: times, week };
  }
  if (!result.alwaysOpen && result.days.every((d) => d == null) && result.holidays == null) result.ok = false;
  return result;
}

/** Describes a week selector in words (`une semaine sur deux (semaines impaires)`). */
export function describeWeek(week, t) {
  if (!week) return '';
  if (week.step === 2) return t(week.from % 2 === 1 ? 'hours.oddWeeks' : 'hours.evenWeeks');
  if (week.step > 2) return t('hours.everyNWeeks', { n: week.step });
  return t('hours.weeks', { from: week.from, to: week.to });
}
