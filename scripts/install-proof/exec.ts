/*
 * Child processes of the proof: commands whose output goes to a log file (its tail is shown
 * when they fail), and long-running services that are stopped as a process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

export interface ExecOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Output of every command is appended here. */
  log: string;
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Runs a command to completion; rejects with the tail of its output when it fails. */
export function exec(
  command: string,
  args: string[],
  options: ExecOptions,
): Promise<void> {
  appendFileSync(
    options.log,
    `\n$ (cd ${options.cwd} && ${command} ${args.join(' ')})\n`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const write = (chunk: Buffer) => appendFileSync(options.log, chunk);
    child.stdout.on('data', write);
    child.stderr.on('data', write);
    child.on('error', reject);
    child.on('close', code => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `\`${command} ${args.join(' ')}\` exited with ${code}; the end of ${
              options.log
            }:\n${tail(options.log)}`,
          ),
        );
    });
  });
}

export interface Service {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a long-running process in its own process group, logging to `log`. */
export function startService(
  command: string,
  args: string[],
  options: ExecOptions,
): Service {
  appendFileSync(
    options.log,
    `\n$ (cd ${options.cwd} && ${command} ${args.join(' ')}) &\n`,
  );
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const write = (chunk: Buffer) => appendFileSync(options.log, chunk);
  child.stdout!.on('data', write);
  child.stderr!.on('data', write);
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return; // already gone
      }
      const killLater = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }, 10_000);
      await exited;
      // yarn, the group's leader, may exit before the backend it started has closed its
      // port: wait for the whole group, or the next backend on the port fails to listen.
      const giveUpAt = Date.now() + 20_000; // SIGKILL came at 10 s; zombies never go
      while (groupAlive(child.pid!) && Date.now() < giveUpAt) {
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      clearTimeout(killLater);
    },
  };
}

/** Polls `url` until it answers 2xx, failing early when `service` exits. */
export async function waitForUrl(
  url: string,
  timeoutMs: number,
  service?: Service,
  log?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service && service.child.exitCode !== null) {
      throw new Error(
        `the process serving ${url} exited with ${service.child.exitCode}${
          log ? `; the end of ${log}:\n${tail(log)}` : ''
        }`,
      );
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(
    `${url} did not answer within ${timeoutMs / 1000} s${
      log ? `; the end of ${log}:\n${tail(log)}` : ''
    }`,
  );
}

/** Whether any process of the group led by `pid` is still running. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
