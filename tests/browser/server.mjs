// The server under test: `tandem serve` on a fresh demo database.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Starts `tandem serve` on a fresh demo database; resolves to {url, stop}.
export async function startServer() {
  const tandem = process.env.TANDEM;
  if (!tandem) throw new Error('set TANDEM to the tandem binary (or TANDEM_URL to a running server)');
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-browser-'));
  const db = `sqlite:${path.join(dir, 'demo.db')}`;
  execFileSync(tandem, ['--db', db, 'init'], { stdio: 'pipe' });
  execFileSync(tandem, ['--db', db, 'demo'], { stdio: 'pipe' });
  const child = spawn(tandem, ['--db', db, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    // The first start on a new database loads the built-in catalogs: allow a while.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 120_000);
    const onData = (chunk) => {
      log += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before serving:\n${log}`));
    });
  });
  child.removeAllListeners('exit');
  // Keep draining the pipes so the server never blocks on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  process.on('exit', () => child.kill('SIGKILL'));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, stop };
}
