// The map as people use it (issue 11), in Chromium against the real server and the real data:
// search races and "no result", texts (plurals, codes, placeholders, hours), print, planning
// results in view, the legend, axe-core on the panels, keyboard ways for map clicks, mobile.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

import { missing, settings, startServer } from './server.mjs';

const S = settings();
const problem = missing(S);
if (problem && !problem.skip) throw new Error(problem.message);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe('la carte en usage réel (ticket 11)', { skip: problem?.skip ? problem.message : false }, () => {
  let server;
  let browser;
  let context;
  let page;
  const consoleErrors = [];

  const api = async (path, body) => {
    const res = await fetch(`${server.url}${path}`, body
      ? { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) }
      : { headers: { Accept: 'application/json' } });
    if (body && (res.status === 404 || res.status === 405)) return null;
    assert.equal(res.ok, true, `${path} : ${res.status}`);
    return res.json();
  };
  const open = async (hash, p = page) => {
    await p.goto('about:blank');
    await p.goto(`${server.url}/${hash}`);
    await p.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  };
  const shot = (name, p = page) => p.screenshot({ path: join(S.artifacts, `${name}.png`) });
  // Lines a text node is laid out on.
  const lines = (selector) => page.$$eval(selector, (nodes) => nodes.map((n) => {
    const r = document.createRange();
    r.selectNodeContents(n);
    return { text: n.textContent, lines: new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size };
  }));
  const axe = async (include, p = page) => {
    await p.evaluate(AXE);
    return p.evaluate(async (sel) => {
      const r = await window.axe.run({ include: [sel] }, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } });
      return r.violations.map((v) => `${v.id} : ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
    }, include);
  };

  before(async () => {
    mkdirSync(S.artifacts, { recursive: true });
    server = await startServer(S);
    browser = await chromium.launch({
      executablePath: S.chromium,
      headless: true,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-sandbox', '--disable-gpu', '--disable-quic'],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'fr-FR' });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`exception : ${e.message}`));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('search: the latest query wins over an older answer', async () => {
    await open('#territoire=dep:81');
    await page.fill('#search-input', 'Albi');
    await page.waitForSelector('#search-list li[data-code="81004"]');
    // Replaced and submitted at once: Albi's hits are still in the list.
    await page.fill('#search-input', 'Castres');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail article[data-kind="commune"]');
    await page.waitForTimeout(500);
    assert.equal(await page.getAttribute('#detail article[data-kind="commune"]', 'data-commune'), '81065');
    assert.match(await page.textContent('#detail h2'), /Castres/);
    await page.click('#detail-close');
  });

  it('search: "no result" is shown, not only spoken', async () => {
    await page.fill('#search-input', 'Zzyqxw');
    await page.waitForSelector('.search-status.empty');
    assert.equal(await page.isVisible('.search-status'), true);
    const box = await page.locator('.search-status').boundingBox();
    assert.ok(box.width > 40 && box.height > 10, `taille ${box.width}×${box.height}`);
    assert.match(await page.textContent('.search-status'), /Aucun résultat pour « Zzyqxw »/);
    await page.fill('#search-input', 'Albi');
    await page.waitForSelector('#search-list li[data-code="81004"]');
    assert.equal(await page.$eval('.search-status', (n) => n.classList.contains('sr-only') && !n.classList.contains('empty')), true, 'count for screen readers only');
    await page.fill('#search-input', '');
  });

  it('writes the town hall accessibility and day names in words', async () => {
    await open('#territoire=dep:81&commune=81004');
    await page.waitForSelector('#detail article[data-kind="commune"] table.hours');
    const text = await page.textContent('#detail');
    assert.doesNotMatch(text, /\bNAC\b/);
    assert.match(text, /Accessibilité\s*Non renseignée/);
    const days = await lines('#detail table.hours th');
    assert.equal(days.length, 7);
    for (const d of days) assert.equal(d.lines, 1, `« ${d.text} » sur ${d.lines} lignes`);
    // A venue open twice a day (two slots a day make the hours column wide).
    const fc = await api('/collections/venues/items?departement=81&limit=2000&f=json');
    const f = fc.features.find((x) => /We[^;]*\d{2}:\d{2}-\d{2}:\d{2},\d/.test(x.properties.horaires ?? ''));
    assert.ok(f, 'un lieu du Tarn ouvert deux fois le mercredi');
    await open(`#territoire=dep:81&lieu=${encodeURIComponent(f.id)}`);
    await page.waitForSelector(`#detail article[data-venue="${f.id}"] table.hours`);
    for (const d of await lines('#detail table.hours th')) assert.equal(d.lines, 1, `${f.properties.horaires} : « ${d.text} » sur ${d.lines} lignes`);
  });

  it('drops the "nul nul" placeholders of an address', async () => {
    const fc = await api('/collections/venues/items?departement=48&limit=5000&f=json');
    const f = fc.features.find((x) => /^nul nul /i.test(x.properties.adresse ?? ''));
    assert.ok(f, 'un lieu de Lozère à l\'adresse « nul nul … » (conseillers-numeriques-2022.csv)');
    await open(`#territoire=dep:48&lieu=${encodeURIComponent(f.id)}`);
    await page.waitForSelector(`#detail article[data-venue="${f.id}"]`);
    const address = await page.textContent('#detail dl.fields dd:nth-of-type(2)');
    assert.doesNotMatch(address, /\bnul\b/i);
    assert.match(address, new RegExp(f.properties.adresse.replace(/^nul nul /i, ''), 'i'));
  });

  it('chooses one site in the singular, fits the map to the sites and shows a row\'s site', async (t) => {
    if (!await api('/api/plan/sites', { demand: [{ id: 'd', lon: 2.148, lat: 43.928, weight: 1 }], candidates: [{ id: 'c', lon: 2.148, lat: 43.928 }], p: 1, objective: 'median' })) return t.skip('POST /api/plan/sites absent');
    await open('#territoire=dep:81&carte=13/43.9289/2.1483');
    await page.waitForSelector('#plan-sites-run');
    await page.fill('#gap-threshold', '10');
    await page.dispatchEvent('#gap-threshold', 'change');
    await page.fill('#plan-p', '1');
    await page.dispatchEvent('#plan-p', 'change');
    await page.click('#plan-sites-run');
    await page.waitForSelector('#detail article[data-kind="sites"] #plan-sites li', { timeout: 30_000 });
    assert.match(await page.textContent('#detail article[data-kind="sites"]'), /\b1 site choisi\b/);
    await page.fill('#plan-p', '4');
    await page.dispatchEvent('#plan-p', 'change');
    await page.click('#plan-sites-run');
    await page.waitForFunction(() => document.querySelectorAll('#plan-sites li').length === 4, null, { timeout: 30_000 });
    await page.waitForTimeout(600);
    const inView = await page.evaluate(() => {
      const b = window.maillage.map.getBounds();
      const out = [];
      window.maillage.planTool.layer.eachLayer((m) => out.push(b.contains(m.getLatLng())));
      return out;
    });
    assert.equal(inView.length, 4);
    assert.deepEqual(inView, [true, true, true, true], 'every site in view');
    await page.click('#plan-sites li:nth-child(3) button.link:not(.small)');
    await page.waitForTimeout(600);
    assert.equal(await page.getAttribute('#plan-sites li:nth-child(3)', 'aria-current'), 'true');
    assert.equal(await page.locator('.site-marker.current').count(), 1);
    const centred = await page.evaluate(() => {
      const c = window.maillage.map.getCenter();
      const m = document.querySelector('.site-marker.current');
      const ll = [...Object.values(window.maillage.planTool.layer._layers)].find((x) => x.getElement?.() === m).getLatLng();
      return c.distanceTo(ll);
    });
    assert.ok(centred < 500, `carte centrée à ${Math.round(centred)} m du site`);
    await shot('20-sites-ligne');
  });

  it('fits the map to the priority communes and shows one from its row', async (t) => {
    if (!await api('/api/gaps', { territory: { departements: ['81'] }, threshold_minutes: 20 })) return t.skip('POST /api/gaps absent');
    await open('#territoire=dep:81&carte=13/43.9289/2.1483');
    await page.waitForSelector('#gap-run');
    await page.fill('#gap-threshold', '10');
    await page.dispatchEvent('#gap-threshold', 'change');
    await page.click('#gap-run');
    await page.waitForSelector('#gap-top li');
    await page.waitForTimeout(600);
    const inView = await page.evaluate(() => {
      const g = window.maillage.gapTool;
      const b = window.maillage.map.getBounds();
      return g.result.indicators.selection.top_unserved.map((c) => g.byCode.get(String(c.code)).access_lonlat).filter(Boolean)
        .map(([lon, lat]) => b.contains([lat, lon]));
    });
    assert.ok(inView.length >= 2);
    assert.ok(inView.every(Boolean), 'every priority commune in view');
    await page.click('#gap-top li:nth-child(2) button.link:not(.small)');
    await page.waitForTimeout(600);
    assert.equal(await page.getAttribute('#gap-top li:nth-child(2)', 'aria-current'), 'true');
    const d = await page.evaluate(() => {
      const g = window.maillage.gapTool;
      const [lon, lat] = g.byCode.get(String(g.result.indicators.selection.top_unserved[1].code)).access_lonlat;
      return window.maillage.map.getCenter().distanceTo([lat, lon]);
    });
    assert.ok(d < 500, `carte centrée à ${Math.round(d)} m de la commune`);
  });

  it('folds the legend, and folds it by itself on a small screen', async () => {
    await open('#territoire=dep:81&commune=81004');
    await page.waitForSelector('#detail article[data-kind="commune"]');
    assert.equal(await page.isVisible('#legend'), true);
    await page.click('#legend-toggle');
    assert.equal(await page.isVisible('#legend'), false);
    assert.equal(await page.getAttribute('#legend-toggle', 'aria-expanded'), 'false');
    const box = await page.locator('.legend-wrap').boundingBox();
    assert.ok(box.height < 60, `légende repliée : ${box.height} px`);
    await page.click('#legend-toggle');
    assert.equal(await page.isVisible('#legend'), true);
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await open('#territoire=dep:81', phone);
    assert.equal(await phone.getAttribute('#legend-toggle', 'aria-expanded'), 'false');
    assert.equal(await phone.isVisible('#legend'), false);
    await phone.close();
  });

  it('draws the map again after printing the commune sheet', async () => {
    await open('#territoire=dep:81&commune=81004');
    await page.waitForSelector('#detail article[data-kind="commune"]');
    await page.waitForTimeout(300);
    const before = Number(await page.getAttribute('#table-title', 'data-count'));
    assert.ok(before > 0);
    await page.emulateMedia({ media: 'print' });
    // Printing lays the page out again: Leaflet measures its hidden container (0×0).
    await page.evaluate(() => window.dispatchEvent(new Event('resize')));
    await page.waitForFunction(() => window.maillage.map.getSize().x === 0);
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await page.emulateMedia({ media: 'screen' });
    await page.waitForFunction(() => window.maillage.map.getSize().x > 0, null, { timeout: 3000 });
    await page.waitForFunction((n) => Number(document.getElementById('table-title').dataset.count) === n, before, { timeout: 3000 });
  });

  it('has no axe-core violation on the markers, the card, the gaps and the planning panels', async (t) => {
    await open('#territoire=dep:81&carte=13/43.9289/2.1483');
    await page.waitForSelector('.leaflet-marker-pane .venue-marker');
    const found = {};
    await page.locator('.leaflet-marker-pane .venue-marker').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail article[data-kind="venue"]');
    found.markers = await axe('.leaflet-marker-pane');
    found.card = await axe('#detail');
    if (await api('/api/gaps', { territory: { departements: ['81'] }, threshold_minutes: 20 })) {
      await page.fill('#gap-threshold', '10');
      await page.dispatchEvent('#gap-threshold', 'change');
      await page.click('#gap-run');
      await page.waitForSelector('#detail article[data-kind="gaps"] #gap-top li');
      found.gaps = await axe('#detail');
      found.tools = await axe('#tools');
    } else t.diagnostic('POST /api/gaps absent');
    if (await page.locator('#plan-sites-run').count()) {
      await page.click('#plan-sites-run');
      await page.waitForSelector('#detail article[data-kind="sites"] #plan-sites li', { timeout: 30_000 });
      found.sites = await axe('#detail');
    }
    if (await page.locator('#plan-tours-run').count()) {
      await page.evaluate(() => window.maillage.planTool.setBase(window.maillage.map.getCenter()));
      await page.click('#plan-tours-run');
      await page.waitForSelector('#detail article[data-kind="tours"] .tour-day', { timeout: 30_000 });
      found.tours = await axe('#detail');
      found.tourMarkers = await axe('.leaflet-marker-pane');
    }
    assert.deepEqual(found, Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });

  it('picks a point with the keyboard: nearest venues, a what-if venue, a tour base', async () => {
    await open('#territoire=dep:81&carte=11/43.7300/2.3000');
    await page.waitForSelector('#tools button[data-pick="nearest"]');
    await page.focus('#tools button[data-pick="nearest"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'map');
    assert.equal(await page.isVisible('.pick-cross'), true);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(500);
    const c = await page.evaluate(() => window.maillage.map.getCenter());
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail article[data-kind="nearest"] ol.nearest li');
    const expected = await api(`/api/nearest?lon=${c.lng.toFixed(6)}&lat=${c.lat.toFixed(6)}&k=5`);
    assert.deepEqual(await page.locator('#detail ol.nearest li button').allTextContents(), expected.venues.map((v) => v.nom));
    assert.equal(await page.isVisible('.pick-cross'), false);
    await page.click('#detail-close');
    if (await page.locator('#gap-run').count()) {
      await page.click('#gap-run');
      await page.waitForSelector('#detail article[data-kind="gaps"]');
      await page.focus('#gap-whatif');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'map');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#gap-changes li, #gap-nochange', { timeout: 30_000 });
      assert.equal(await page.locator('.hypo-marker').count(), 1);
    }
    if (await page.locator('button[data-pick="base"]').count()) {
      await page.focus('button[data-pick="base"]');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'map');
      const centre = await page.evaluate(() => window.maillage.map.getCenter());
      await page.keyboard.press('Enter');
      await page.waitForSelector('.base-marker');
      assert.match(await page.textContent('#plan-base'), new RegExp(centre.lat.toFixed(4).replace('.', '\\.')));
      assert.equal(await page.isDisabled('#plan-tours-run'), false);
    }
  });

  it('fits metropolitan France with Corsica and the Nord, and jumps to the overseas départements', async () => {
    await open('#territoire=france');
    const inView = (pts) => page.evaluate((list) => list.map(([lat, lon]) => window.maillage.map.getBounds().contains([lat, lon])), pts);
    // Bray-Dunes (northernmost commune), Bonifacio and Cap Corse, Brest, Menton.
    assert.deepEqual(await inView([[51.08, 2.52], [41.39, 9.16], [43.0, 9.36], [48.39, -4.49], [43.78, 7.5]]), [true, true, true, true, true]);
    for (const [code, lat, lon] of [['971', 16.24, -61.53], ['972', 14.6, -61.07], ['973', 4.93, -52.33], ['974', -20.88, 55.45], ['976', -12.78, 45.23]]) {
      await page.selectOption('#jump-to', code);
      await page.waitForTimeout(200);
      assert.deepEqual(await inView([[lat, lon]]), [true], `${code} en vue`);
      assert.ok(await page.evaluate(() => window.maillage.map.getZoom()) >= 7, `${code} : zoom`);
    }
    await page.selectOption('#jump-to', 'metro');
    assert.deepEqual(await inView([[51.08, 2.52], [41.39, 9.16]]), [true, true]);
  });

  it('on a phone: a small header, map and list views, a filter drawer and cards as a bottom sheet', async () => {
    const phone = await context.newPage();
    phone.on('pageerror', (e) => consoleErrors.push(`exception : ${e.message}`));
    await phone.setViewportSize({ width: 390, height: 844 });
    await open('#territoire=dep:81', phone);
    const box = (sel) => phone.locator(sel).boundingBox();
    const header = await box('header.topbar');
    assert.ok(header.height / 844 < 0.15, `en-tête : ${Math.round(header.height)} px sur 844`);
    const map = await box('#map');
    assert.ok(map.height > 844 * 0.6, `carte : ${Math.round(map.height)} px de haut`);
    assert.equal(await phone.isVisible('#btn-view-list'), true);
    // The filters, in a drawer over the map.
    await phone.click('#btn-filters');
    const facet = phone.locator('#filters button.facet-btn').first();
    await facet.scrollIntoViewIfNeeded();
    const f = await facet.boundingBox();
    assert.ok(f && f.y >= 0 && f.y + f.height <= 844, 'un filtre à l\'écran');
    const total = await phone.getAttribute('#filter-summary', 'data-shown');
    await facet.click();
    await phone.waitForFunction((n) => document.getElementById('filter-summary').dataset.shown !== n, total);
    const shown = Number(await phone.getAttribute('#filter-summary', 'data-shown'));
    await phone.click('#btn-filters');
    assert.equal(await phone.isVisible('#sidebar'), false);
    // The list, then the map again, measured.
    await phone.click('#btn-view-list');
    assert.equal(await phone.isVisible('#map'), false);
    const table = await box('#table-section');
    assert.ok(table.y < 200, `tableau à ${Math.round(table.y)} px`);
    await phone.click('#venue-table tbody tr th button');
    await phone.waitForSelector('#detail article[data-kind="venue"]');
    await phone.click('#detail-close');
    await phone.click('#btn-view-map');
    await phone.waitForFunction(() => window.maillage.map.getSize().y > 400);
    assert.equal(Number(await phone.getAttribute('#filter-summary', 'data-shown')), shown);
    // A card comes up from the bottom, over the map, which stays in sight above it.
    await phone.locator('.leaflet-marker-pane .marker-cluster, .leaflet-marker-pane .venue-marker').first().waitFor();
    await phone.evaluate(() => window.maillage.store.set({ venue: window.maillage.store.get().shown.filtered[0].id.toString() }));
    await phone.waitForSelector('#detail article[data-kind="venue"]');
    const sheet = await box('#detail');
    assert.ok(sheet.y > 844 * 0.35 && sheet.y + sheet.height <= 844, `fiche de ${Math.round(sheet.y)} à ${Math.round(sheet.y + sheet.height)} px`);
    assert.ok((await box('#map')).height > 600, 'la carte reste derrière la fiche');
    await shot('21-mobile-fiche', phone);
    await phone.close();
  });

  it('logged no console error', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
