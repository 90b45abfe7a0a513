// The page's state and who hears of its changes. Views and tools read `store.get()`, change it
// with `store.set(patch, meta)` and react in `store.subscribe`. The URL hash (the permalink) is
// written in one place only, `bindHash`, from the state; the permalink keys are those of
// permalink.js, the other keys (loaded places, panels, pick mode...) never reach the address.
// No DOM access except through the window object given to `bindHash`, so this runs in node tests.

import { defaultState, formatHash, parseHash } from './permalink.js';

/** Deep equality for the values the state holds: primitives, arrays, Sets, plain objects; anything else by identity. */
export function equal(a, b) {
  if (a === b) return true;
  if (a == null || b == null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Class instances (Leaflet objects, Maps, loaded data) are the same only when identical.
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b) || (proto !== Object.prototype && proto !== Array.prototype && proto !== null)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => equal(a[k], b[k]));
}

/**
 * A store: `get()`, `set(patch | (state) => patch, meta)`, `subscribe((state, prev, meta) => …)`.
 * The state is never mutated in place: `set` makes a new object with the patch's keys. Listeners
 * hear of a change once, with `meta.changed` (the Set of keys whose value changed) and the rest of
 * `meta` as given (e.g. `{from: 'hash'}`, `{fit: false}`). A `set` made by a listener is applied at
 * once and heard after the current round, so every listener sees the changes in order.
 */
export function createStore(initial) {
  let state = initial;
  const listeners = new Set();
  const queue = [];
  let notifying = false;
  return {
    get: () => state,
    set(patch, meta = {}) {
      const p = typeof patch === 'function' ? patch(state) : patch;
      if (!p) return false;
      const changed = new Set(Object.keys(p).filter((k) => !equal(state[k], p[k])));
      if (!changed.size) return false;
      const prev = state;
      state = { ...state, ...p };
      queue.push([state, prev, { ...meta, changed }]);
      if (notifying) return true;
      notifying = true;
      try {
        while (queue.length) {
          const [s, before, m] = queue.shift();
          for (const fn of [...listeners]) fn(s, before, m);
        }
      } finally {
        notifying = false;
      }
      return true;
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/** Whether any of `keys` changed in a store notification. */
export function changed(meta, ...keys) {
  return keys.some((k) => meta.changed.has(k));
}

/** The permalink part of a state read from a hash; `lang` and `embed` stay as they were when absent. */
export function stateFromHash(hash, prev = {}) {
  const next = parseHash(hash, defaultState());
  return { ...next, lang: next.lang ?? prev.lang ?? 'fr', embed: Boolean(prev.embed || next.embed) };
}

/** Whether a hash names an element of the page (`#filters`) rather than a permalink (`#carte=…`). */
export function isAnchor(hash) {
  return /^#[A-Za-z][\w-]*$/.test(hash ?? '');
}

/**
 * Keeps the URL hash and the state in step: the one place that writes the hash (at most once per
 * change, with `history.replaceState`, only when the permalink differs), and the one that reads it
 * back when the user edits the address or goes back (`hashchange`, applied with `{from: 'hash'}`).
 * In-page links (`#filters`, `#map`) move the focus only: the click is taken before the hash
 * changes, and a hash that still arrives naming an element gives the focus to it and the
 * permalink back to the address. `win` is `window` (or a stand-in in tests).
 */
export function bindHash(store, win = globalThis.window) {
  let written = null;
  const write = (state) => {
    const hash = formatHash(state);
    if (hash === win.location.hash) return;
    written = hash;
    win.history.replaceState(null, '', hash || win.location.pathname + win.location.search);
  };
  const focusAnchor = (id) => {
    const target = win.document?.getElementById(id);
    if (!target) return false;
    if (!target.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView?.({ block: 'nearest' });
    return true;
  };
  store.subscribe((state) => write(state));
  win.addEventListener('hashchange', () => {
    const hash = win.location.hash;
    if (hash === written) return;
    if (isAnchor(hash) && focusAnchor(hash.slice(1))) {
      written = null;
      write(store.get());
      return;
    }
    store.set(stateFromHash(hash, store.get()), { from: 'hash' });
  });
  win.document?.addEventListener('click', (e) => {
    const a = e.target?.closest?.('a[href^="#"]');
    const href = a?.getAttribute('href');
    if (!isAnchor(href) || e.defaultPrevented) return;
    if (focusAnchor(href.slice(1))) e.preventDefault();
  });
  write(store.get());
  return { write: () => write(store.get()) };
}
