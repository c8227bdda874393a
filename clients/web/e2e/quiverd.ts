import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const webRoot = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const distDir = join(webRoot, 'dist');

/** The quiverd binary: $QUIVERD, else the release build of this checkout. */
export function quiverdBinary(): string {
  return process.env.QUIVERD ?? join(repoRoot, 'build/release/src/quiverd');
}

/** The environment without QUIVER_* variables, so the caller's shell cannot change the server. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('QUIVER_')) environment[key] = value;
  }
  return { ...environment, ...extra };
}

export interface Quiverd {
  url: string;
  port: number;
  dataDir: string;
  log: string[];
  stop: () => Promise<void>;
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await delay(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface QuiverdOptions {
  demoRows: number;
  webRoot?: string;
  binary?: string;
}

/**
 * Starts quiverd on a free loopback port with a fresh data dir. The first stdout line
 * is {"event":"listening","port":...}; stdout is drained for as long as it runs.
 */
export async function startQuiverd(options: QuiverdOptions): Promise<Quiverd> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quiver-web-e2e-'));
  const args = ['--port', '0', '--data-dir', dataDir, '--demo-rows', String(options.demoRows)];
  if (options.webRoot) args.push('--web-root', options.webRoot);
  const child = spawn(options.binary ?? quiverdBinary(), args, {
    env: cleanEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const keep = (line: string) => {
    log.push(line);
    if (log.length > 400) log.shift();
  };
  createInterface({ input: child.stderr }).on('line', keep);
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`quiverd did not say it was listening:\n${log.join('\n')}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`quiverd exited with ${code}:\n${log.join('\n')}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    lines.on('line', (line) => {
      keep(line);
      try {
        const event = JSON.parse(line) as { event?: string; port?: number };
        if (event.event === 'listening' && typeof event.port === 'number') {
          clearTimeout(timer);
          resolve(event.port);
        }
      } catch {
        // not JSON: keep draining
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('quiverd to be ready', 180_000, async () => (await fetch(`${url}/api/v1/ready`)).status === 200);
  return {
    url,
    port,
    dataDir,
    log,
    stop: async () => {
      await stopProcess(child, 15_000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether quiverd serves the web app itself (--web-root). */
export async function servesApp(url: string): Promise<boolean> {
  const response = await fetch(`${url}/`);
  await response.arrayBuffer();
  return response.ok && (response.headers.get('content-type') ?? '').startsWith('text/html');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * For a quiverd without --web-root support: vite preview serves dist/ and proxies /api
 * to quiverd, which is what quiverd itself does once it serves static files.
 */
export async function startPreview(apiUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(webRoot, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: webRoot, env: cleanEnvironment({ QUIVER_URL: apiUrl }), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  createInterface({ input: child.stderr }).on('line', () => undefined);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('vite preview', 30_000, async () => (await fetch(`${url}/`)).ok);
  return { url, stop: () => stopProcess(child, 5000) };
}
