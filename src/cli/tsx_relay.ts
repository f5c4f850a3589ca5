import { spawn } from 'node:child_process';

const PREFLIGHT = /tsx[\\/]dist[\\/]preflight\.cjs$/;

/**
 * True in a process the tsx CLI started (`npx tsx tools/train.ts`): tsx preloads its preflight
 * script there, and tsx's parent process, on Ctrl-C, SIGKILLs this child unless it acknowledges
 * the signal within about 60 ms, which a process busy in a training step cannot.
 */
export function underTsxRelay(execArgv: readonly string[] = process.execArgv): boolean {
  return execArgv.some((a) => PREFLIGHT.test(a));
}

/** node's options for the re-run: the tsx loader kept, tsx's preflight (the signal relay) left out. */
export function withoutPreflight(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if ((a === '--require' || a === '-r') && PREFLIGHT.test(execArgv[i + 1] ?? '')) i++;
    else if (!PREFLIGHT.test(a.replace(/^--require=/, ''))) out.push(a);
  }
  return out;
}

/**
 * Run this script again as a child under plain node (tsx still as the loader) and resolve with its
 * exit code. This process stays idle, so it answers tsx's relay at once and is not killed; the
 * child shares the terminal's process group, so Ctrl-C reaches it directly and it can finish its
 * iteration and save. Signals sent to this process alone are passed on (the child ignores a second
 * one that arrives with the terminal's).
 */
export function rerunWithoutTsxRelay(): Promise<number> {
  const child = spawn(process.execPath, [...withoutPreflight(process.execArgv), process.argv[1]!, ...process.argv.slice(2)], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
