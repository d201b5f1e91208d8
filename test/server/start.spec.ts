import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs the built server as `npm start` does, and collects what it prints. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env: { ...process.env, ...env, DATABASE_URL: '' } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output}`)), 150_000);
    child.stdout.on('data', () => output.includes('journal-hub is ready') && (clearTimeout(timer), resolve()));
    child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`exited with ${code}:\n${output}`))));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => output };
}

async function gql(port: number, query: string, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

describe('npm start', () => {
  let dataDir: string;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'journal-hub-start-'));
    await fs.chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    running?.kill('SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('comes up on an empty data folder with the demo, answers, stops cleanly, and keeps its data', async () => {
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), SHUTDOWN_GRACE_MS: '2000' };
    const port = Number(env.PORT);

    const first = start(env);
    running = first.child;
    await first.ready;
    expect(first.output()).toContain(`http://localhost:${port}/graphql`);
    expect(first.output()).toMatch(/demo\.parent/);
    expect(first.output()).toContain('demo municipality loaded');

    expect((await (await fetch(`http://127.0.0.1:${port}/health`)).json())).toEqual({ status: 'ok' });
    const signIn = await gql(port, 'mutation { signIn(login: "demo.parent", password: "journal-hub-demo") { token } }');
    const token = signIn.data.signIn.token;
    const me = await gql(port, '{ me { login roles { role } } schools(first: 10) { totalCount } }', token);
    expect(me.data.me).toEqual({ login: 'demo.parent', roles: [{ role: 'PARENT' }] });
    expect(me.data.schools.totalCount).toBeGreaterThanOrEqual(3);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    const second = start(env);
    running = second.child;
    await second.ready;
    expect(second.output()).not.toContain('demo municipality loaded');
    const again = await gql(port, 'mutation { signIn(login: "demo.parent", password: "journal-hub-demo") { token } }');
    expect(again.data.signIn.token).toEqual(expect.any(String));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    running = undefined;
  }, 300_000);
});
