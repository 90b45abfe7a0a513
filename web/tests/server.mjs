// Starts the real `maillage serve` on a free 127.0.0.1 port for the browser tests.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Paths and settings from the environment (set by scripts/web-test.sh). */
export function settings() {
  return {
    bin: process.env.MAILLAGE_BIN,
    dataDir: process.env.MAILLAGE_DATA_DIR,
    cacheDir: process.env.MAILLAGE_CACHE_DIR,
    webDir: process.env.MAILLAGE_WEB_DIST ?? new URL('../dist', import.meta.url).pathname,
    artifacts: process.env.MAILLAGE_ARTIFACTS ?? new URL('../../tests/artifacts/web', import.meta.url).pathname,
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // An already running server to test instead of starting one (e.g. `make run`).
    url: process.env.MAILLAGE_TEST_URL ?? null,
  };
}

/** Why the browser tests cannot run here, or null. Missing data is a reason to skip; the rest are errors. */
export function missing(s) {
  if (!s.dataDir || !existsSync(`${s.dataDir}/venues`)) return { skip: true, message: `données réelles absentes (MAILLAGE_DATA_DIR=${s.dataDir ?? ''}) : tests navigateur sautés` };
  if (s.url) return existsSync(s.chromium) ? null : { skip: false, message: `${s.chromium} absent : installez le paquet Debian chromium` };
  if (!s.bin || !existsSync(s.bin)) return { skip: false, message: `binaire maillage introuvable (MAILLAGE_BIN=${s.bin ?? ''}) : lancez cargo build --release -p maillage-server` };
  if (!existsSync(`${s.webDir}/index.html`)) return { skip: false, message: `${s.webDir}/index.html absent : lancez scripts/web-build.sh` };
  if (!existsSync(s.chromium)) return { skip: false, message: `${s.chromium} absent : installez le paquet Debian chromium` };
  return null;
}

/** Spawns the server on port 0 and resolves with `{url, stop}` once it answers /health. */
export async function startServer(s, { timeoutMs = 120_000 } = {}) {
  if (s.url) return { url: s.url.replace(/\/$/, ''), log: () => '', stop: async () => {} };
  const child = spawn(s.bin, ['serve', '--addr', '127.0.0.1:0', '--web-dir', s.webDir], {
    env: { ...process.env, MAILLAGE_DATA_DIR: s.dataDir, MAILLAGE_CACHE_DIR: s.cacheDir, RUST_LOG: 'info,tower_http=warn', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`le serveur n'a pas démarré en ${timeoutMs} ms :\n${log.slice(-4000)}`)), timeoutMs);
    const onData = (chunk) => {
      log += chunk.toString();
      const m = /http:\/\/(127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`le serveur s'est arrêté (code ${code}) :\n${log.slice(-4000)}`));
    });
  });
  child.removeAllListeners('exit');
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    log: () => log,
    stop: () => new Promise((resolve) => {
      if (child.exitCode != null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}
