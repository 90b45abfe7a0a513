// Search box (ARIA combobox): communes by name or postal code, EPCI, départements, through
// `/api/search`. Arrow keys move in the list, Enter picks, Escape closes.

import { debounce, el } from './util.js';

export class SearchBox {
  constructor(form, { api, t, onPick }) {
    this.form = form;
    this.api = api;
    this.t = t;
    this.onPick = onPick;
    this.input = form.querySelector('input');
    this.list = form.querySelector('[role="listbox"]');
    this.status = form.querySelector('.search-status');
    this.hits = [];
    this.active = -1;
    this.seq = 0;
    this.hitsFor = null; // the query the shown hits answer
    this.pickNext = false; // Enter was pressed before the answer to the current query came
    const run = debounce(() => this.query(), 180);
    this.input.addEventListener('input', () => {
      // Hits of an older query must not be picked by Enter.
      if (this.input.value.trim() !== this.hitsFor) this.active = -1;
      run();
    });
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.hits.length && this.hitsFor === this.input.value.trim()) this.pick(this.hits[Math.max(this.active, 0)]);
      else this.query(true);
    });
  }

  /** Asks for the current text; only the answer to the latest query is shown (and picked). */
  async query(pickFirst = false) {
    const q = this.input.value.trim();
    const seq = ++this.seq;
    if (pickFirst) this.pickNext = true;
    if (q.length < 2) {
      this.pickNext = false;
      this.show([], q);
      return;
    }
    let hits = [];
    try {
      hits = await this.api.search(q, { limit: 10 });
    } catch {
      hits = [];
    }
    if (seq !== this.seq || q !== this.input.value.trim()) return;
    this.show(hits, q);
    if (this.pickNext && this.hits.length) this.pick(this.hits[0]);
    this.pickNext = false;
  }

  show(hits, q) {
    this.hits = hits;
    this.hitsFor = q;
    this.active = -1;
    this.list.replaceChildren(
      ...hits.map((h, i) => el('li', {
        role: 'option', id: `search-opt-${i}`, 'aria-selected': 'false', 'data-kind': h.kind, 'data-code': h.code,
        onmousedown: (e) => {
          e.preventDefault();
          this.pick(h);
        },
      }, el('span', { class: 'hit-name' }, h.name), ' ', el('span', { class: 'hit-kind' }, this.t(`search.kind.${h.kind}`) + (h.detail ? ` · ${h.detail}` : '')))),
    );
    const open = hits.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    this.input.removeAttribute('aria-activedescendant');
    // "No result" is shown to everyone; the count of results is for screen readers.
    const none = q.length >= 2 && hits.length === 0;
    this.status.textContent = q.length >= 2 ? this.t('search.count', { n: hits.length, q }) : '';
    this.status.classList.toggle('sr-only', !none);
    this.status.classList.toggle('empty', none);
  }

  key(e) {
    if (this.list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = this.hits.length;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + n) % n;
      this.list.querySelectorAll('[role="option"]').forEach((o, i) => o.setAttribute('aria-selected', String(i === this.active)));
      this.input.setAttribute('aria-activedescendant', `search-opt-${this.active}`);
    } else if (e.key === 'Escape') {
      this.close();
    }
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
  }

  pick(hit) {
    this.close();
    this.input.value = hit.name;
    this.onPick(hit);
  }
}
