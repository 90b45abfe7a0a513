// Pieces of the page's chrome that several views use: the map status line, the dialog, copy
// buttons. They hold no state of their own.

import { el, fill } from './util.js';

/** Shows a message over the map (empty: hides it). */
export function status(text, isError = false) {
  const s = document.getElementById('map-status');
  s.textContent = text;
  s.classList.toggle('error', isError);
  s.hidden = !text;
}

/** Opens the modal dialog with a title and a body (replaces the body when already open). */
export function openDialog(title, body) {
  const dialog = document.getElementById('dialog');
  document.getElementById('dialog-title').textContent = title;
  fill(document.getElementById('dialog-body'), body);
  if (!dialog.open) dialog.showModal();
}

/** A button that copies an input's value to the clipboard. */
export function copyButton(input, t) {
  return el('button', {
    type: 'button',
    onclick: async (e) => {
      const btn = e.currentTarget;
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        document.execCommand?.('copy');
      }
      btn.textContent = t('common.copied');
      setTimeout(() => (btn.textContent = t('common.copy')), 2000);
    },
  }, t('common.copy'));
}

export function cssEscape(v) {
  return window.CSS?.escape ? CSS.escape(v) : v.replace(/["\\]/g, '\\$&');
}
