// Small screens (≤ 700 px, style.css): the map or the list fills the page, the filters and tools
// open as a drawer, cards come up as a bottom sheet. A bar at the bottom switches between them;
// on a wide screen the bar is hidden and the classes it sets have no effect.

export class MobileView {
  constructor(map) {
    this.map = map;
    this.mapBtn = document.getElementById('btn-view-map');
    this.listBtn = document.getElementById('btn-view-list');
    this.filtersBtn = document.getElementById('btn-filters');
    this.mapBtn.addEventListener('click', () => this.view('map'));
    this.listBtn.addEventListener('click', () => this.view('list'));
    this.filtersBtn.addEventListener('click', () => this.drawer(this.filtersBtn.getAttribute('aria-expanded') !== 'true'));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && document.body.classList.contains('drawer-open')) {
        this.drawer(false);
        this.filtersBtn.focus();
      }
    });
  }

  /** Shows the map or the list of venues. */
  view(which) {
    this.drawer(false);
    document.body.classList.toggle('view-list', which === 'list');
    this.mapBtn.setAttribute('aria-pressed', String(which === 'map'));
    this.listBtn.setAttribute('aria-pressed', String(which === 'list'));
    // The map was hidden: Leaflet measures it again.
    if (which === 'map') requestAnimationFrame(() => this.map.invalidateSize());
  }

  /** Opens or closes the drawer of filters and tools. */
  drawer(open) {
    document.body.classList.toggle('drawer-open', open);
    this.filtersBtn.setAttribute('aria-expanded', String(open));
    if (open) document.getElementById('filters').focus({ preventScroll: false });
  }
}
