import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DataLoader } from '../../src/datasets/index.js';
import { tf } from '../../src/tf.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tfrazor-${prefix}-`));
}

/** Write a solid-colour image (PNG unless the name ends in .jpg). */
export async function solidImage(path: string, width: number, height: number, rgb: [number, number, number]): Promise<void> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  await (path.endsWith('.jpg') ? img.jpeg({ quality: 100 }) : img.png()).toFile(path);
}

/** Write a PNG whose pixel (y, x) is [x, y, 7] so positions can be read back from values. */
export async function gradientImage(path: string, width: number, height: number): Promise<Uint8Array> {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x, y, 7], (y * width + x) * 3);
  }
  await sharp(data, { raw: { width, height, channels: 3 } }).png().toFile(path);
  return data;
}

/** root/<class>/<i>.png with `perClass` solid images per class. */
export async function imageFolder(root: string, classes: Record<string, [number, number, number]>, perClass: number, size = 12): Promise<void> {
  for (const [name, rgb] of Object.entries(classes)) {
    mkdirSync(join(root, name), { recursive: true });
    for (let i = 0; i < perClass; i++) await solidImage(join(root, name, `${i}.png`), size + i, size, rgb);
  }
}

export function writeText(path: string, text: string): void {
  writeFileSync(path, text);
}

/** All batches of the loader's current epoch as plain arrays; tensors disposed. */
export async function collect(loader: DataLoader, limit = Infinity): Promise<{ images: number[][]; labels: number[][] }> {
  const images: number[][] = [];
  const labels: number[][] = [];
  for await (const batch of loader) {
    images.push(Array.from(batch.images.dataSync()));
    labels.push(Array.from(batch.labels.dataSync()));
    tf.dispose([batch.images, batch.labels]);
    if (images.length >= limit) break;
  }
  return { images, labels };
}
