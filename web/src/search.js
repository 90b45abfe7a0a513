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
    const run = debounce(() => this.query(), 180);
    this.input.addEventListener('input', run);
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.hits.length) this.pick(this.hits[Math.max(this.active, 0)]);
      else this.query(true);
    });
  }

  async query(pickFirst = false) {
    const q = this.input.value.trim();
    const seq = ++this.seq;
    if (q.length < 2) {
      this.show([]);
      return;
    }
    let hits = [];
    try {
      hits = await this.api.search(q, { limit: 10 });
    } catch {
      hits = [];
    }
    if (seq !== this.seq) return;
    this.show(hits);
    if (pickFirst && this.hits.length) this.pick(this.hits[0]);
  }

  show(hits) {
    this.hits = hits;
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
    this.status.textContent = this.input.value.trim().length >= 2 ? this.t('search.count', { n: hits.length }) : '';
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
