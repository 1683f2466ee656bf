import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A worker app (apps/projector, apps/relay) run as its own process, as it runs in production. */
export interface WorkerChild {
  readonly child: ChildProcess;
  /** Every line it has printed so far. */
  readonly lines: string[];
  /** GET on its probe port (which it logs at start). */
  probe(path: '/ready' | '/health' | '/health/live'): Promise<{ status: number; body: unknown }>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export function spawnWorker(root: string, main: string, env: NodeJS.ProcessEnv): WorkerChild {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const port = new Promise<number>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        const found = /Health at http:\/\/localhost:(\d+)\/health/.exec(line);
        if (found) resolve(Number(found[1]));
      });
    }
    child.once('exit', (code, signal) => reject(new Error(`${main} exited (${code ?? signal})`)));
  });
  port.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    lines,
    exited,
    probe: async (path) => {
      const response = await fetch(`http://127.0.0.1:${await port}${path}`);
      return { status: response.status, body: await response.json() };
    },
  };
}

export async function killed(worker: WorkerChild): Promise<void> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await worker.exited;
}
