import 'reflect-metadata';
import { container } from 'tsyringe';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TOKENS } from '../../src/services/tokens.js';
import { tf } from '../../src/tf.js';
import { torchBuilt } from './torch/availability.js';

type SelectModule = typeof import('../../src/backend/select.js');

// Each test gets a fresh selection state (the module caches the choice to stay idempotent).
let select: SelectModule;
beforeEach(async () => {
  vi.resetModules();
  select = await import('../../src/backend/select.js');
});

function notInstalled(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /work/main/src`),
    { code: 'ERR_MODULE_NOT_FOUND' });
}

/** Behaves like the real import, except that the named packages are absent. */
function importWithout(...absent: string[]): (name: string) => Promise<unknown> {
  return async (name) => {
    if (absent.includes(name)) throw notInstalled(name);
    return import(name);
  };
}

const NATIVE = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
const NO_TORCH = { loadTorch: () => ({ ok: false as const, reason: 'the libtorch engine is not built (test)' }) };

describe('initBackend', () => {
  it('forces cpu', async () => {
    const logs: string[] = [];
    const choice = await select.initBackend('cpu', (m) => logs.push(m));
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(logs).toEqual(['backend: cpu (forced by --backend; pure-JS cpu backend)']);
  });

  it('forces wasm and registers the training kernels', async () => {
    const choice = await select.initBackend('wasm', () => undefined);
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('rejects an unknown name, listing the valid ones and the nearest', async () => {
    await expect(select.initBackend('wsam', () => undefined)).rejects.toThrow(
      'Unknown backend "wsam" (from --backend). Valid names: tensorflow, torch, wasm, cpu. Did you mean "wasm"?');
    await expect(select.initBackend('gpu', () => undefined)).rejects.toBeInstanceOf(Error);
  });

  it('explains a forced tensorflow backend that is not installed, with the install command', async () => {
    const err = await select.initBackend('tensorflow', () => undefined,
      { importModule: importWithout(...NATIVE) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain('@tensorflow/tfjs-node-gpu is not installed');
    expect(message).toContain(`npm install @tensorflow/tfjs-node-gpu@${tf.version_core}`);
    expect((err as { isUserError?: boolean }).isUserError).toBe(true);
  });

  it('falls back to wasm when tfjs-node is absent, logging why', async () => {
    const logs: string[] = [];
    const choice = await select.initBackend(undefined, (m) => logs.push(m),
      { importModule: importWithout(...NATIVE), ...NO_TORCH });
    expect(choice.name).toBe('wasm');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^backend: wasm \(@tensorflow\/tfjs-node-gpu is not installed, @tensorflow\/tfjs-node is not installed; the libtorch engine is not built \(test\); wasm/);
    expect(container.resolve(TOKENS.backend)).toBe(choice);
  });

  it('reports a native package that is installed but broken, then falls back', async () => {
    const logs: string[] = [];
    const choice = await select.initBackend(undefined, (m) => logs.push(m), {
      importModule: async (name) => {
        if (name === '@tensorflow/tfjs-node-gpu') throw new Error('libcudart.so.11.0: cannot open shared object file');
        if (name === '@tensorflow/tfjs-node') throw notInstalled(name);
        return import(name);
      },
      ...NO_TORCH,
    });
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toContain('@tensorflow/tfjs-node-gpu failed to load (libcudart.so.11.0');
  });

  it('falls back to cpu when wasm cannot load either', async () => {
    const choice = await select.initBackend(undefined, () => undefined,
      { importModule: importWithout(...NATIVE, '@tensorflow/tfjs-backend-wasm'), ...NO_TORCH });
    expect(choice.name).toBe('cpu');
    expect(choice.reason).toContain('@tensorflow/tfjs-backend-wasm is not installed');
  });

  it('is idempotent: a second call returns the same choice without logging again', async () => {
    const logs: string[] = [];
    const first = await select.initBackend('wasm', (m) => logs.push(m));
    const second = await select.initBackend('wasm', (m) => logs.push(m));
    const third = await select.initBackend(undefined, (m) => logs.push(m));
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(logs).toHaveLength(1);
  });

  it('explains a forced torch engine that is not built, with the command that builds it', async () => {
    const err = await select.initBackend('torch', () => undefined, NO_TORCH).catch((e: unknown) => e);
    expect((err as Error).message).toContain('Backend "torch" was requested (--backend torch) but cannot be used: the libtorch engine is not built (test)');
    expect((err as Error).message).toContain('apt-get install libtorch-dev');
    expect((err as { isUserError?: boolean }).isUserError).toBe(true);
  });

  it('reports a torch build that fails to load, then falls back to wasm', async () => {
    const choice = await select.initBackend(undefined, () => undefined, {
      importModule: importWithout(...NATIVE),
      loadTorch: () => ({ ok: false, reason: 'the libtorch engine at x.node failed to load (libc10.so: cannot open shared object file)' }),
    });
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toContain('failed to load (libc10.so');
  });

  it.skipIf(!torchBuilt)('chooses the built torch engine after tfjs-node, on the wasm host, with the thread count in the log', async () => {
    const logs: string[] = [];
    const choice = await select.initBackend(undefined, (m) => logs.push(m), { importModule: importWithout(...NATIVE), threads: 1 });
    expect(choice.name).toBe('torch');
    expect(choice.threads).toBe(1);
    expect(tf.getBackend()).toBe('wasm');
    expect(logs[0]).toMatch(/^backend: torch \(.*libtorch 1\.\d+\.\d+ with 1 thread\(s\) serves 15 kernels/);
    expect((await select.useBackend('wasm')).name).toBe('wasm');
    expect(tf.getKernel('TfrazorBatchNormTrain', 'wasm')).toBeUndefined();
  });

  it('defaults the torch threads to the cores the load leaves free, and says why in the log', () => {
    expect(select.freeCores(2, 0.3)).toBe(2);
    expect(select.freeCores(2, 1.2)).toBe(1);
    expect(select.freeCores(2, 7.5)).toBe(1);
    expect(select.freeCores(16, 4.4)).toBe(12);
    expect(select.threadNote(2, 2, 0.6)).toBe('');
    expect(select.threadNote(1, 2, 1.4)).toContain('(of 2 cores; load average 1.4;');
    expect(select.threadNote(2, 2, 3.2)).toContain('load average 3.2 on 2 cores');
    expect(select.threadNote(2, 2, 3.2)).toContain('--threads 1 avoids it');
  });

  it('useBackend switches between backends', async () => {
    expect((await select.useBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await select.useBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
