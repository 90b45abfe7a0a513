// Small helpers shared by every module. No DOM access here except `el`, so the rest runs in node tests.

/** Escapes text for insertion into HTML. */
export function esc(value) {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A multi-valued schema field as a list, whether the API sends an array or a `|`-joined string. */
export function asList(value) {
  if (value == null) return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  return String(value)
    .split('|')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Whether a venue was placed at its town hall (no coordinates in the source). */
export function isApprox(p) {
  return ['mairie', 'town-hall', 'commune'].includes(p?.placement);
}

/** Creates an element: `el('button', {class: 'x', onclick}, 'text', child)`. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'html') node.innerHTML = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Replaces a node's children, skipping null, false and undefined ones. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c != null && c !== false));
  return node;
}

/** Formats an integer with the locale's grouping (`12 345` in French). */
export function formatInt(n, lang = 'fr') {
  if (n == null || Number.isNaN(n)) return '–';
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { maximumFractionDigits: 0 }).format(n);
}

/** Formats a number with `digits` decimals. */
export function formatNum(n, digits = 1, lang = 'fr') {
  if (n == null || Number.isNaN(Number(n))) return '–';
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'fr-FR', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Number(n));
}

/** Formats an ISO date (`2023-07-06`) as `6 juillet 2023`, or returns the text unchanged. */
export function formatDate(iso, lang = 'fr') {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ''));
  if (!m) return iso ? String(iso) : '–';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

/** Great-circle distance in metres between two lon/lat points. */
export function haversine(lon1, lat1, lon2, lat2) {
  const R = 6371008.8;
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Encodes rows as CSV (RFC 4180 quoting) with the given separator and CRLF line ends. */
export function toCsv(header, rows, sep = ';') {
  const cell = (v) => {
    const s = v == null ? '' : String(v);
    return /["\r\n]/.test(s) || s.includes(sep) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(sep)).join('\r\n') + '\r\n';
}

/** Parses CSV produced by `toCsv` (or any RFC 4180 CSV) into rows of strings. */
export function parseCsv(text, sep = ';') {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Compares two values for sorting: numbers numerically, text with French collation. */
const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
export function compareValues(a, b) {
  const an = typeof a === 'number';
  const bn = typeof b === 'number';
  if (an && bn) return a - b;
  if (a == null || a === '') return b == null || b === '' ? 0 : 1;
  if (b == null || b === '') return -1;
  return collator.compare(String(a), String(b));
}

/** Normalises text for search: lower case, no accents, hyphens and apostrophes as spaces. */
export function fold(text) {
  return String(text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[-'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Bounding box [w, s, e, n] of GeoJSON coordinates (any nesting). */
export function coordsBbox(coords, into = [Infinity, Infinity, -Infinity, -Infinity]) {
  if (typeof coords[0] === 'number') {
    into[0] = Math.min(into[0], coords[0]);
    into[1] = Math.min(into[1], coords[1]);
    into[2] = Math.max(into[2], coords[0]);
    into[3] = Math.max(into[3], coords[1]);
  } else for (const c of coords) coordsBbox(c, into);
  return into;
}

/** Debounces a function. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * An address line without the placeholders some sources leave in it (`nul nul rue principale`,
 * `null`, `undefined`): those words are dropped where they stand alone.
 */
export function cleanAddress(text) {
  if (text == null) return '';
  return String(text).split(/\s+/).filter((w) => !/^(nul|null|undefined|none|nan)$/i.test(w)).join(' ').trim();
}
