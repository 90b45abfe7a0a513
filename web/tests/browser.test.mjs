// The map in a real browser (Debian chromium driven by playwright-core) against the real server
// and the real data: Tarn venues and clusters, filters, table, CSV export, search, cards,
// choropleth, permalinks, embed mode; no request outside 127.0.0.1 and no console error.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { missing, settings, startServer } from './server.mjs';
import { parseCsv } from '../src/util.js';

const S = settings();
const problem = missing(S);
if (problem && !problem.skip) throw new Error(problem.message);
if (problem?.skip) console.log(`# ${problem.message}`);

const SERVICE = 'Aide aux démarches administratives';

describe('la carte dans Chromium contre le vrai serveur', { skip: problem?.skip ? problem.message : false }, () => {
  let server;
  let browser;
  let context;
  let page;
  const requests = [];
  const consoleErrors = [];
  let origin;

  const api = async (path) => {
    const res = await fetch(`${server.url}${path}`, { headers: { Accept: 'application/json' } });
    assert.equal(res.ok, true, `${path} : ${res.status}`);
    return res.json();
  };
  const shot = async (name, target = page) => {
    const path = join(S.artifacts, `${name}.png`);
    await target.screenshot({ path });
    return path;
  };
  const ready = () => page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  // A fresh page load (a goto that only changes the hash would not reload).
  const open = async (hash) => {
    await page.goto('about:blank');
    await page.goto(`${server.url}/${hash}`);
    await ready();
  };
  const summary = async () => page.$eval('#filter-summary', (n) => ({ shown: Number(n.dataset.shown), total: Number(n.dataset.total) }));
  const markerCount = () => page.evaluate(() => {
    let n = 0;
    for (const c of document.querySelectorAll('.leaflet-marker-pane .marker-cluster [data-count]')) n += Number(c.dataset.count);
    return n + document.querySelectorAll('.leaflet-marker-pane .venue-marker').length;
  });

  const endpoint = async (path, body) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
    return res.status === 404 || res.status === 405 || !(res.headers.get('content-type') ?? '').includes('json') ? null : res.json();
  };
  const clickMapAt = async (lon, lat) => {
    const pt = await page.evaluate(([lo, la]) => window.maillage.map.latLngToContainerPoint([la, lo]), [lon, lat]);
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + pt.x, box.y + pt.y);
  };

  before(async () => {
    mkdirSync(S.artifacts, { recursive: true });
    server = await startServer(S);
    origin = new URL(server.url).origin;
    browser = await chromium.launch({
      executablePath: S.chromium,
      headless: true,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-sandbox', '--disable-gpu', '--disable-quic'],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true, locale: 'fr-FR' });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`exception : ${e.message}`));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows every Tarn venue in markers and clusters, counted as the API counts them', async () => {
    const expected = (await api('/collections/venues/items?departement=81&limit=1&f=json')).numberMatched;
    assert.ok(expected > 50, `l'API ne compte que ${expected} lieux dans le Tarn`);
    const t0 = Date.now();
    await page.goto(`${server.url}/#territoire=dep:81`);
    await ready();
    const wall = Date.now() - t0;
    const fmp = await page.evaluate(() => performance.getEntriesByName('maillage:first-meaningful-paint')[0]?.duration);
    console.log(`première peinture utile de la vue Tarn, premier chargement : ${Math.round(fmp)} ms (jusqu'à la page prête : ${wall} ms)`);
    await page.waitForFunction(() => document.querySelectorAll('.leaflet-marker-pane .marker-cluster, .leaflet-marker-pane .venue-marker').length > 0);
    await page.waitForTimeout(400);
    const { shown, total } = await summary();
    assert.equal(total, expected);
    assert.equal(shown, expected);
    assert.equal(await markerCount(), expected, 'somme des groupes et des marqueurs');
    assert.ok(await page.locator('.leaflet-marker-pane .marker-cluster').count() > 0, 'des groupes de lieux');
    assert.match(await page.textContent('#territory-name'), /Tarn/);
    await shot('01-tarn');
    // Again with the server's caches warm (simplified geometry per zoom is computed once).
    await open('#territoire=dep:81');
    const warm = await page.evaluate(() => performance.getEntriesByName('maillage:first-meaningful-paint')[0]?.duration);
    console.log(`première peinture utile de la vue Tarn, serveur déjà sollicité : ${Math.round(warm)} ms`);
  });

  it('filters by service with live counts that match the API filter', async () => {
    const expected = (await api(`/collections/venues/items?departement=81&services=${encodeURIComponent(SERVICE)}&limit=1&f=json`)).numberMatched;
    const button = page.locator(`button.facet-btn[data-facet="services"][data-value="${SERVICE}"]`);
    assert.equal(Number(await button.locator('.count').textContent()), expected, 'nombre affiché sur le bouton');
    await button.click();
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await page.waitForTimeout(300);
    const { shown } = await summary();
    assert.equal(shown, expected);
    assert.equal(await markerCount(), expected);
    const title = Number(await page.getAttribute('#table-title', 'data-count'));
    assert.equal(title, expected, 'tableau des lieux visibles');
    assert.equal(await page.locator('#venue-table tbody tr').count(), Math.min(expected, 200));
    assert.match(page.url(), /services=Aide/);
    await shot('02-filtre-services');
  });

  it('sorts the table by commune', async () => {
    await page.click('button.sort[data-col="commune"]');
    const communes = await page.$$eval('#venue-table tbody tr td:nth-child(4)', (tds) => tds.map((td) => td.textContent));
    const sorted = [...communes].sort(new Intl.Collator('fr', { sensitivity: 'base', numeric: true }).compare);
    assert.deepEqual(communes, sorted);
    assert.equal(await page.getAttribute('#venue-table th[aria-sort="ascending"]', 'aria-sort'), 'ascending');
  });

  it('exports the filtered venues as CSV with their coordinates', async () => {
    const { shown } = await summary();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-csv')]);
    const path = join(S.artifacts, 'lieux-tarn.csv');
    await download.saveAs(path);
    const rows = parseCsv(readFileSync(path, 'utf8'));
    const [header, ...data] = rows;
    assert.equal(data.length, shown);
    const col = (name) => header.indexOf(name);
    for (const r of data) {
      // Declared, or inferred from the France Services label (category "France Services").
      const declared = r[col('services')].split('|').includes(SERVICE);
      const franceServices = r[col('categorie')].split('|').includes('France Services');
      assert.ok(declared || franceServices, `services de ${r[col('nom')]}`);
      const lon = Number(r[col('longitude')]);
      const lat = Number(r[col('latitude')]);
      assert.ok(lon > 1.4 && lon < 3.0 && lat > 43.3 && lat < 44.3, `${r[col('nom')]} hors du Tarn : ${lon}, ${lat}`);
    }
  });

  it('restores the filters from the permalink', async () => {
    const url = page.url();
    const before = await summary();
    await page.goto('about:blank');
    await page.goto(url);
    await ready();
    await page.waitForTimeout(200);
    assert.deepEqual(await summary(), before);
    assert.equal(await page.getAttribute(`button.facet-btn[data-facet="services"][data-value="${SERVICE}"]`, 'aria-pressed'), 'true');
    await page.click('#filters-reset');
  });

  it('opens a venue card from the table, with the approximate-position notice when placed at the town hall', async () => {
    const first = page.locator('#venue-table tbody tr th button').first();
    const name = await first.textContent();
    await first.click();
    await page.waitForSelector('#detail article[data-kind="venue"]');
    assert.equal((await page.textContent('#detail h2')).trim(), name.trim());
    assert.ok(await page.locator('#detail dl.fields dt').count() >= 4);
    await shot('03-fiche-lieu');
    const approxRow = page.locator('#venue-table tbody tr:has(.badge.approx) th button').first();
    if (await approxRow.count()) {
      await approxRow.click();
      await page.waitForSelector('#detail .notice');
      assert.match(await page.textContent('#detail'), /mairie/);
    }
    await page.click('#detail-close');
    assert.equal(await page.isVisible('#detail'), false);
  });

  it('finds a commune by name and opens its sheet', async () => {
    const sheet = await api('/api/communes/81004');
    await page.fill('#search-input', 'Albi');
    await page.waitForSelector('#search-list li[data-code="81004"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail article[data-kind="commune"][data-commune="81004"]');
    assert.match(await page.textContent('#detail h2'), /Albi/);
    const text = await page.textContent('#detail');
    assert.ok(text.includes(new Intl.NumberFormat('fr-FR').format(sheet.population)), 'population affichée');
    await shot('04-fiche-commune');
    await page.emulateMedia({ media: 'print' });
    await shot('05-fiche-commune-impression');
    await page.emulateMedia({ media: 'screen' });
    await page.click('#detail-close');
  });

  it('switches the choropleth between IFN 2023 and IFN 2020', async () => {
    await open('#territoire=dep:81&couches=contours,ifn');
    await page.waitForTimeout(500);
    assert.match(await page.textContent('#legend'), /IFN 2023/);
    const map = page.locator('#map');
    const before = await map.screenshot();
    // The 2020 fields come with a new request for the communes in view.
    const loaded2020 = page.waitForResponse((r) => r.url().includes('/collections/communes/items') && r.url().includes('ifn2020'));
    await page.check('#ifn-model-2020');
    await page.waitForFunction(() => /IFN 2020/.test(document.getElementById('legend').textContent));
    await loaded2020;
    await page.waitForTimeout(300);
    assert.match(page.url(), /ifn=2020/);
    const after2020 = await map.screenshot({ path: join(S.artifacts, '06-ifn-2020.png') });
    assert.notDeepEqual(after2020, before, 'les couleurs changent');
    await page.check('#ifn-model-2023');
    await page.waitForFunction(() => /IFN 2023/.test(document.getElementById('legend').textContent));
  });

  it('opens a venue card from a marker with the keyboard', async () => {
    await open('#territoire=dep:81&carte=13/43.9289/2.1483');
    await page.waitForSelector('.leaflet-marker-pane .venue-marker');
    const marker = page.locator('.leaflet-marker-pane .venue-marker').first();
    const label = await marker.getAttribute('aria-label');
    assert.ok(label && label.length > 3, 'étiquette lue par les lecteurs d\'écran');
    await marker.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail article[data-kind="venue"]');
    assert.ok(label.startsWith((await page.textContent('#detail h2')).trim()));
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('#detail'), false);
  });

  it('finds the venues nearest to a clicked point', async () => {
    await open('#territoire=dep:81&carte=11/43.7300/2.3000');
    await page.waitForSelector('#tools button[data-pick="nearest"]');
    await page.click('#tools button[data-pick="nearest"]');
    const expected = await api('/api/nearest?lon=2.3&lat=43.73&k=5');
    await clickMapAt(2.3, 43.73);
    await page.waitForSelector('#detail article[data-kind="nearest"] ol.nearest li');
    const names = await page.locator('#detail ol.nearest li button').allTextContents();
    assert.deepEqual(names, expected.venues.map((v) => v.nom));
    await shot('12-plus-proches');
    await page.click('#detail-close');
  });

  it('offers the export of each layer with the territory, filters and CRS in the URL', async () => {
    await open(`#territoire=dep:81&services=${encodeURIComponent(SERVICE)}`);
    await page.selectOption('#export-layer', 'venues');
    await page.selectOption('#export-format', 'csv');
    await page.selectOption('#export-crs', '2154');
    await page.selectOption('#export-scope', 'territoire');
    const href = await page.getAttribute('#export-link', 'href');
    const url = new URL(href, server.url);
    assert.equal(url.searchParams.get('departement'), '81');
    assert.equal(url.searchParams.get('services'), SERVICE);
    assert.equal(url.searchParams.get('crs'), 'http://www.opengis.net/def/crs/EPSG/0/2154');
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const rows = parseCsv(await res.text(), ',').filter((r) => r.length > 1);
    const { shown } = await summary();
    assert.equal(rows.length - 1, shown, 'une ligne par lieu filtré');
    assert.equal(await page.inputValue('#ogc-url'), `${server.url}/`);
  });

  it('opens an EPCI found by name as the territory', async () => {
    const hits = await api('/api/search?q=carmausin');
    const epci = hits.find((h) => h.kind === 'epci');
    assert.ok(epci, 'la recherche trouve l\'EPCI');
    const expected = (await api(`/collections/venues/items?epci=${epci.code}&limit=1&f=json`)).numberMatched;
    await page.fill('#search-input', 'Carmausin');
    await page.waitForSelector(`#search-list li[data-code="${epci.code}"]`);
    await page.click(`#search-list li[data-code="${epci.code}"]`);
    await page.waitForFunction((n) => document.getElementById('filter-summary')?.dataset.total === String(n), expected);
    assert.match(await page.textContent('#territory-name'), /Carmausin/);
    assert.match(page.url(), new RegExp(`territoire=epci:${epci.code}`));
    await shot('13-epci');
  });

  it('has an English switch', async () => {
    await page.click('#btn-lang');
    assert.equal(await page.textContent('#filters h2'), 'Filter venues');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.click('#btn-lang');
    assert.equal(await page.textContent('#filters h2'), 'Filtrer les lieux');
  });

  it('starts keyboard navigation on the skip links', async () => {
    await open('#territoire=dep:81');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#map');
  });

  it('moves the focus with the skip links and keeps the territory and filters', async () => {
    await open(`#territoire=dep:81&services=${encodeURIComponent(SERVICE)}`);
    await page.waitForTimeout(500);
    const before = await summary();
    const url = page.url();
    const loads = [];
    const onRequest = (r) => {
      if (r.url().includes('/collections/venues/items')) loads.push(r.url());
    };
    page.on('request', onRequest);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#filters');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'filters');
    await page.focus('a[href="#map"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'map');
    // A hash naming an element that arrives anyway (typed in the address bar).
    await page.evaluate(() => {
      location.hash = '#filters';
    });
    await page.waitForFunction(() => document.activeElement?.id === 'filters');
    await page.waitForTimeout(300);
    page.off('request', onRequest);
    assert.equal(page.url(), url, 'the permalink stays in the address');
    assert.deepEqual(await summary(), before);
    assert.equal(await page.getAttribute(`button.facet-btn[data-facet="services"][data-value="${SERVICE}"]`, 'aria-pressed'), 'true');
    assert.deepEqual(loads, [], 'no venue reloaded');
  });

  it('lists the data sources in the about panel', async () => {
    await page.click('#btn-about');
    await page.waitForSelector('#dialog tr[data-layer]');
    const layers = (await api('/api/layers')).layers;
    assert.equal(await page.locator('#dialog tr[data-layer]').count(), layers.length);
    await page.click('#dialog-close');
  });

  it('runs embedded without the menus', async () => {
    await open('#territoire=dep:81&embed=1');
    assert.equal(await page.isVisible('#sidebar'), false);
    assert.equal(await page.isVisible('#table-section'), false);
    assert.equal(await page.isVisible('#map'), true);
    const full = await page.getAttribute('a.embed-full', 'href');
    assert.match(full, /territoire=dep:81/);
    assert.doesNotMatch(full, /embed=1/);
    await shot('07-embed');
  });

  it('counts the venue kinds chosen in the filters in the gap analysis', async () => {
    await open('#territoire=dep:81&kind=lieu_accueil|habilitation');
    await page.waitForSelector('#gap-run');
    await page.click('#gap-run');
    await page.waitForSelector('#detail article[data-kind="gaps"] #gap-counted');
    const counted = await page.textContent('#gap-counted');
    assert.match(counted, /Lieu d'accueil du public/);
    assert.match(counted, /Habilitation Aidants Connect/);
    assert.doesNotMatch(counted, /itinérant/);
  });

  it('shows unserved communes and recomputes the indicators when a venue is added (what-if)', async (t) => {
    const body = { territory: { departements: ['81'] }, threshold_minutes: 20, ifn: { model: 'ifn2023', axis: 'total' } };
    const baseline = await endpoint('/api/gaps', body);
    if (!baseline) return t.skip('POST /api/gaps absent de ce serveur');
    await open('#territoire=dep:81');
    await page.waitForSelector('#gap-run');
    await page.click('#gap-run');
    await page.waitForSelector('#detail article[data-kind="gaps"] #gap-indicators');
    const sel = baseline.indicators.selection;
    const text = await page.textContent('#gap-indicators');
    assert.ok(text.replace(/\s/g, '').includes(`${sel.communes_unserved}/${sel.communes}`), `communes non desservies ${sel.communes_unserved}/${sel.communes} dans « ${text} »`);
    assert.equal(await page.locator('#gap-top li').count(), sel.top_unserved.length);
    // What was counted (issue 9): by default only places receiving the public.
    assert.deepEqual(baseline.parameters.filter.kinds, ['lieu_accueil']);
    assert.match(await page.textContent('#gap-counted'), /Lieux comptés : Lieu d'accueil du public\./);
    await shot('08-lacunes');
    const target = baseline.communes.find((c) => c.status === 'unserved' && c.access_lonlat && c.code === sel.top_unserved[0]?.code);
    assert.ok(target, 'une commune prioritaire non desservie avec un point d\'accès');
    const [lon, lat] = target.access_lonlat;
    await page.evaluate(([lo, la]) => {
      window.maillage.map.setView([la, lo], 11, { animate: false });
    }, [lon, lat]);
    await page.waitForTimeout(300);
    await page.click('#gap-whatif');
    await clickMapAt(lon, lat);
    await page.waitForSelector('#gap-changes li, #gap-nochange', { timeout: 30_000 });
    const changes = await page.locator('#gap-changes li').allTextContents();
    assert.ok(changes.some((c) => c.startsWith(target.name)), `${target.name} devient desservie : ${changes.join(' ; ')}`);
    assert.equal(await page.locator('.hypo-marker').count(), 1);
    await shot('09-et-si');
  });

  it('builds tours from a base at Albi and prints the itinerary', async (t) => {
    const probe = await endpoint('/api/plan/tours', { base: { lon: 2.148, lat: 43.928 }, stops: [{ id: 'a', lon: 2.2, lat: 43.9, service_minutes: 30 }], days: 1, day_minutes: 420 });
    if (!probe) return t.skip('POST /api/plan/tours absent de ce serveur');
    await open('#territoire=dep:81&carte=9/43.90/2.10');
    await page.waitForSelector('#plan-tours-run');
    // At 20 minutes a single Tarn commune is unserved: plan for those beyond 10 minutes.
    await page.fill('#gap-threshold', '10');
    await page.dispatchEvent('#gap-threshold', 'change');
    await page.click('button[data-pick="base"]');
    await clickMapAt(2.1483, 43.9289);
    await page.fill('#plan-days', '3');
    await page.dispatchEvent('#plan-days', 'change');
    await page.click('#plan-tours-run');
    await page.waitForSelector('#detail article[data-kind="tours"]', { timeout: 30_000 });
    const days = await page.locator('#detail .tour-day').count();
    assert.ok(days >= 2 && days <= 3, `${days} jours`);
    const plan = await page.evaluate(() => window.maillage.planTool.tours.days.map((d) => d.stops.length));
    assert.equal(await page.locator('#detail .tour-day tbody tr').count(), plan.reduce((a, n) => a + (n ? n + 2 : 0), 0), 'départ, étapes et retour');
    assert.ok(await page.locator('.leaflet-gaps-pane path').count() >= days, 'une ligne par jour');
    await shot('10-tournees');
    await page.emulateMedia({ media: 'print' });
    await shot('11-itineraire-impression');
    await page.emulateMedia({ media: 'screen' });
  });

  it('chooses permanence sites among the unserved communes', async (t) => {
    const probe = await endpoint('/api/plan/sites', { demand: [{ id: 'd', lon: 2.148, lat: 43.928, weight: 1 }], candidates: [{ id: 'c', lon: 2.148, lat: 43.928 }], p: 1, objective: 'median' });
    if (!probe) return t.skip('POST /api/plan/sites absent de ce serveur');
    await open('#territoire=dep:81');
    await page.waitForSelector('#plan-sites-run');
    await page.fill('#gap-threshold', '10');
    await page.dispatchEvent('#gap-threshold', 'change');
    await page.fill('#plan-p', '3');
    await page.dispatchEvent('#plan-p', 'change');
    await page.selectOption('#plan-objective', 'coverage');
    await page.fill('#plan-radius', '10');
    await page.dispatchEvent('#plan-radius', 'change');
    await page.click('#plan-sites-run');
    await page.waitForSelector('#detail article[data-kind="sites"] #plan-sites li', { timeout: 30_000 });
    assert.equal(await page.locator('#plan-sites li').count(), 3);
    assert.equal(await page.locator('.site-marker').count(), 3);
    await shot('14-sites');
  });

  it('never requested anything outside 127.0.0.1 and logged no console error', () => {
    const outside = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:') && u !== 'about:blank');
    assert.deepEqual(outside, []);
    assert.deepEqual(consoleErrors, []);
  });
});
