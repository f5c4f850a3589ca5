// The package as a plugin author meets it: the 'tfrazor' entry (src/index.ts; dist/ when built),
// package.json's exports/types/bin pointing at what `npm run build` emits, and the `tfrazor` command.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from 'tfrazor';
import { COMMANDS, tfrazor } from '../../tools/tfrazor.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, { types: string; default: string } | string>;
  types: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
};
const build = JSON.parse(readFileSync('tsconfig.build.json', 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
  compilerOptions: { outDir: string; rootDir: string; declaration: boolean };
  include: string[];
};

/** The source file tsc compiles to `dist/...js` (or `.d.ts`) under tsconfig.build.json. */
const sourceOf = (out: string) => out.replace(/^\.\/dist\//, './').replace(/\.d\.ts$|\.js$/, '.ts');

const sink = () => ({ text: '', write(t: string) { this.text += t; return true; } });

describe("the 'tfrazor' package", () => {
  it('exports the registries, base classes and helpers a plugin needs, with the core classes registered', () => {
    for (const name of ['MODELS', 'ALGORITHMS', 'HOOKS', 'DATASETS', 'TRANSFORMS', 'LOSSES', 'OPTIMIZERS', 'SCHEDULERS', 'SAMPLERS', 'SEARCHERS', 'METRICS', 'PROXIES', 'PREDICTORS']) {
      expect(api, name).toHaveProperty(name);
    }
    for (const name of ['Module', 'DynamicConv2d', 'DynamicBatchNorm2d', 'DynamicLinear', 'MutableChannel', 'MutableValue', 'Mutator', 'BaseAlgorithm', 'ResNetSupernet', 'LoggerHook', 'ConfigError', 'UserError', 'Registry']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    for (const name of ['tf', 'loadConfig', 'loadConfigFromText', 'buildRunner', 'runCli', 'parseToolArgs', 'buildDataLoader', 'initBackend', 'getLogger']) {
      expect(api, name).toHaveProperty(name);
    }
    expect(api.MODELS.has('ResNetSupernet')).toBe(true);
    expect(api.ALGORITHMS.has('BigNAS')).toBe(true);
    expect(api.HOOKS.has('CheckpointHook')).toBe(true);
  });

  it('package.json exports, types and bin name files that tsconfig.build.json emits from existing sources', () => {
    expect(build.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.', declaration: true });
    const entry = pkg.exports['.'] as { types: string; default: string };
    expect(entry.default).toBe('./dist/src/index.js');
    expect(entry.types).toBe('./dist/src/index.d.ts');
    expect(pkg.types).toBe(entry.types);
    expect(pkg.bin.tfrazor).toBe('./dist/tools/tfrazor.js');
    for (const out of [entry.default, entry.types, pkg.bin.tfrazor]) {
      const src = sourceOf(out);
      expect(existsSync(src), `${out} is built from ${src}`).toBe(true);
      expect(build.include.some((dir) => src.startsWith(`./${dir}/`)), `${src} is in the build`).toBe(true);
    }
    expect(readFileSync('tools/tfrazor.ts', 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'configs', 'scripts', 'native/src']));
    // The build is a separate step: npm ci must not run tsc.
    expect(Object.keys(pkg.scripts)).not.toContain('prepare');
    expect(pkg.scripts.prepack).toBe('npm run build');
  });
});

describe('the tfrazor command', () => {
  it('lists its commands, and refuses an unknown one with exit 2', async () => {
    const out = sink();
    expect(await tfrazor(['--help'], out, sink())).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(out.text).toContain(`  ${name} `);
    const err = sink();
    expect(await tfrazor(['trian'], sink(), err)).toBe(2);
    expect(err.text).toContain("Unknown command 'trian'");
    expect(await tfrazor([], sink(), sink())).toBe(2);
  });

  it('has a command for every tool under tools/', () => {
    const tools = readdirSync('tools', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && f !== 'tfrazor.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.values(COMMANDS).map((c) => c.tool).sort()).toEqual(tools);
  });

  it('maps every command to a tool with a main', async () => {
    for (const { tool } of Object.values(COMMANDS)) {
      expect(existsSync(join('tools', `${tool}.ts`)), tool).toBe(true);
      expect(readFileSync(join('tools', `${tool}.ts`), 'utf8')).toMatch(/export (async )?function main\(/);
    }
  });

  it('runs a tool: tfrazor print-config CONFIG, and help names the command', async () => {
    const out = sink();
    expect(await tfrazor(['print-config', 'configs/mnist/resnet_mini_bignas.yaml'], out, sink())).toBe(0);
    expect(out.text).toMatch(/^model:\n  type: BigNAS/);
    const help = sink();
    expect(await tfrazor(['export', '--help'], help, sink())).toBe(0);
    expect(help.text).toMatch(/^Usage: tfrazor export CONFIG CHECKPOINT/);
    const bad = sink();
    expect(await tfrazor(['track1/merge'], sink(), bad)).toBe(2);
    expect(bad.text).toMatch(/^error: /);
  });
});
