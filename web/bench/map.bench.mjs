// Benchmark of the map in headless Chromium against the real server on 127.0.0.1 (real data):
// - first meaningful paint of the Tarn view (venues and areas drawn, from navigation start),
//   on a cold server, then warm with an empty browser cache, then with the CPU slowed 4×
//   (a modest laptop);
// - panning over all of France with the IFN choropleth at three zooms (départements, EPCI,
//   communes): frame rate, long frames, and time until the areas of the new view are drawn.
// Prints a table; nothing is asserted (speed is measured, not tested).
// Usage: bench/web.sh [runs]  (MAILLAGE_BIN, MAILLAGE_DATA_DIR, MAILLAGE_CACHE_DIR as for serve)
import { chromium } from 'playwright-core';

import { missing, settings, startServer } from '../tests/server.mjs';

const RUNS = Number(process.argv[2] ?? 10);
const S = settings();
const problem = missing(S);
if (problem) {
  console.error(problem.message);
  process.exit(1);
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x) => `${Math.round(x)} ms`;

const server = await startServer(S);
const browser = await chromium.launch({
  executablePath: S.chromium,
  headless: true,
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-sandbox', '--disable-gpu', '--disable-quic'],
});

/** Opens `hash` in a fresh context (empty HTTP cache); resolves with the page and its paint time. */
async function load(hash, { cpuSlowdown = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'fr-FR' });
  const page = await context.newPage();
  if (cpuSlowdown > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  }
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
  const paint = await page.evaluate(() => performance.getEntriesByName('maillage:first-meaningful-paint')[0]?.duration);
  return { context, page, paint };
}

async function firstPaint(label, runs, options) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const { context, paint } = await load('#territoire=dep:81', options);
    times.push(paint);
    await context.close();
  }
  const line = runs === 1 ? ms(times[0]) : `median ${ms(quantile(times, 0.5))}, p90 ${ms(quantile(times, 0.9))}, max ${ms(Math.max(...times))} (${runs} runs)`;
  console.log(`| Première peinture utile, vue Tarn, ${label} | ${line} |`);
}

/** Pans at `zoom` by each move (pixels, animated); frame rate and refresh time of each new view. */
async function pan(label, zoom, [lat, lon], moves) {
  const { context, page } = await load(`#territoire=dep:81&couches=contours,ifn&carte=${zoom}/${lat}/${lon}`);
  const inFlight = new Set();
  let lastDone = 0;
  page.on('request', (r) => inFlight.add(r));
  const done = (r) => {
    if (inFlight.delete(r)) lastDone = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  const idle = async (since) => {
    // Settled: no request in flight for 150 ms after the move.
    for (;;) {
      await page.waitForTimeout(25);
      if (inFlight.size === 0 && Date.now() - Math.max(lastDone, since) > 150) return Math.max(lastDone, since) - since;
    }
  };
  await idle(Date.now());
  await page.evaluate(() => {
    window.__frames = [];
    const tick = (t) => { window.__frames.push(t); window.__raf = requestAnimationFrame(tick); };
    window.__raf = requestAnimationFrame(tick);
  });
  const refresh = [];
  const t0 = Date.now();
  for (const [dx, dy] of moves) {
    const start = Date.now();
    await page.evaluate(([x, y]) => new Promise((resolve) => {
      const map = window.maillage.map;
      map.once('moveend', () => resolve());
      map.panBy([x, y], { animate: true, duration: 0.4 });
    }), [dx, dy]);
    refresh.push(await idle(start));
  }
  const elapsed = Date.now() - t0;
  const frames = await page.evaluate(() => { cancelAnimationFrame(window.__raf); return window.__frames; });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  const long = gaps.filter((g) => g > 50).length;
  const shapes = await page.evaluate(() => window.maillage.areas.geo.getLayers().length);
  console.log(`| Déplacement sur la France, ${label} (${moves.length} déplacements, ${shapes} contours chargés) | `
    + `${Math.round((frames.length * 1000) / elapsed)} images/s, intervalle p95 ${ms(quantile(gaps, 0.95))}, max ${ms(Math.max(...gaps))}, ${long} images > 50 ms ; `
    + `nouvelle vue dessinée en ${ms(quantile(refresh, 0.5))} (médiane), ${ms(Math.max(...refresh))} au pire |`);
  await context.close();
}

/**
 * A filter click over all of France (CPU slowed `cpuSlowdown`×), once the page is quiet (no long
 * task for 1 s): the response (click to the start of the next frame, the one that paints the
 * pressed button), the longest
 * main-thread task in the 3 s after it (how long the page freezes), the sum of those tasks beyond
 * 50 ms, and the time until the counts are updated; also the first paint of the France view.
 */
async function filterClick(runs, cpuSlowdown) {
  const rows = [];
  const first = [];
  for (let i = 0; i < runs; i++) {
    const { context, page } = await load('#territoire=france', { cpuSlowdown });
    first.push(await page.evaluate(() => performance.getEntriesByName('maillage:first-meaningful-paint')[0]?.duration));
    rows.push(await page.evaluate(() => new Promise((resolve) => {
      const tasks = [];
      let lastLong = performance.now();
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) {
          tasks.push(e);
          lastLong = Math.max(lastLong, e.startTime + e.duration);
        }
      }).observe({ type: 'longtask' });
      const quiet = () => {
        if (performance.now() - lastLong < 1000) return setTimeout(quiet, 100);
        const summary = document.getElementById('filter-summary');
        const before = summary.dataset.shown;
        const t0 = performance.now();
        let response = null;
        let counted = null;
        document.querySelector('button.facet-btn[data-facet="services"]').click();
        requestAnimationFrame(() => { response = performance.now() - t0; });
        const poll = () => {
          if (summary.dataset.shown !== before) counted = performance.now() - t0;
          else setTimeout(poll, 5);
        };
        poll();
        setTimeout(() => {
          const after = tasks.filter((x) => x.startTime >= t0 - 1);
          resolve({ response, counted, longest: Math.max(0, ...after.map((x) => x.duration)), blocking: after.reduce((a, x) => a + x.duration - 50, 0) });
        }, 3000);
      };
      quiet();
    })));
    await context.close();
  }
  const med = (key) => ms(quantile(rows.map((r) => r[key]), 0.5));
  console.log(`| Clic sur un filtre, toute la France, processeur ralenti ${cpuSlowdown}× (${runs} essais, médianes) | réponse (image suivante) ${med('response')}, tâche la plus longue ${med('longest')}, blocage total ${med('blocking')}, comptes à jour en ${med('counted')} |`);
  console.log(`| Première peinture utile, toute la France, processeur ralenti ${cpuSlowdown}× | médiane ${ms(quantile(first, 0.5))} |`);
}

try {
  console.log('| Mesure | Résultat |\n|---|---|');
  // BENCH_ONLY=filter: the filter click alone.
  const all = process.env.BENCH_ONLY !== 'filter';
  if (all) {
    await firstPaint('serveur froid (premier chargement)', 1);
    await firstPaint('serveur chaud, cache du navigateur vide', RUNS);
    await firstPaint('serveur chaud, processeur ralenti 4×', Math.max(3, Math.round(RUNS / 2)), { cpuSlowdown: 4 });
    // East twice, south, west twice, south, east twice: a zigzag over new ground each time.
    const zigzag = (x, y) => [[x, 0], [x, 0], [0, y], [-x, 0], [-x, 0], [0, y], [x, 0], [x, 0]];
    await pan('zoom 6, départements', 6, [48.0, 0.0], zigzag(200, 150));
    await pan('zoom 8, EPCI', 8, [48.3, -3.2], zigzag(470, 330));
    await pan('zoom 10, communes', 10, [48.1, -1.7], zigzag(470, 330));
  }
  await filterClick(3, 1);
  await filterClick(3, 4);
} finally {
  await browser.close();
  await server.stop();
}
