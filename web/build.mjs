// Builds the map into dist/: bundles src/ with esbuild, copies the page, and derives the
// offline basemap from the world-atlas npm package (no file is fetched from anywhere).
//
//   node build.mjs            production build (minified, with source maps)
//   node build.mjs --dev      unminified
import { mkdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const dev = process.argv.includes('--dev');
const require = createRequire(import.meta.url);

// Countries drawn in detail (Natural Earth 1:10m) around metropolitan France.
const DETAILED_COUNTRIES = new Set([
  'France', 'Spain', 'Andorra', 'Italy', 'Switzerland', 'Germany', 'Luxembourg', 'Belgium',
  'Monaco', 'United Kingdom', 'Netherlands', 'Liechtenstein', 'San Marino', 'Vatican',
  'Austria', 'Portugal', 'Jersey', 'Guernsey',
]);

function roundCoords(c) {
  return Array.isArray(c[0]) ? c.map(roundCoords) : [Math.round(c[0] * 1e3) / 1e3, Math.round(c[1] * 1e3) / 1e3];
}

async function basemap() {
  const out = join(dist, 'basemap');
  await mkdir(out, { recursive: true });
  // Whole world at 1:50m, kept as TopoJSON (decoded in the browser with topojson-client).
  await copyFile(require.resolve('world-atlas/countries-50m.json'), join(out, 'world-50m.topo.json'));
  // France and its neighbours at 1:10m, as GeoJSON rounded to 0.001° (about 100 m).
  const topo = JSON.parse(await readFile(require.resolve('world-atlas/countries-10m.json'), 'utf8'));
  const features = feature(topo, topo.objects.countries).features
    .filter((f) => f.geometry && DETAILED_COUNTRIES.has(f.properties.name))
    .map((f) => ({
      type: 'Feature',
      id: f.id,
      properties: { name: f.properties.name },
      geometry: { type: f.geometry.type, coordinates: roundCoords(f.geometry.coordinates) },
    }));
  await writeFile(join(out, 'europe-10m.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
  const licence = await readFile(require.resolve('world-atlas/LICENSE'), 'utf8');
  await writeFile(join(out, 'LICENSE-world-atlas.txt'), licence);
}

async function main() {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  const started = Date.now();
  await esbuild.build({
    entryPoints: { app: join(here, 'src/main.js') },
    bundle: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    outdir: dist,
    minify: !dev,
    sourcemap: true,
    legalComments: 'linked',
    loader: { '.png': 'file', '.svg': 'file' },
    assetNames: 'assets/[name]-[hash]',
    logLevel: 'warning',
  });
  await copyFile(join(here, 'src/index.html'), join(dist, 'index.html'));
  await copyFile(join(here, 'src/config.json'), join(dist, 'config.json'));
  await basemap();
  console.log(`web/dist construit en ${Date.now() - started} ms`);
}

main().catch((e) => {
  console.error(`échec de la construction de web/dist : ${e.message}`);
  process.exit(1);
});
