import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import type { TypedConfig } from '../registry/registry.js';
import { withDefaults } from './defaults.js';
import { COMMON_DATASET_PROPERTIES, type CommonDatasetConfig, type FileDataset } from './dataset.js';
import { DatasetError, DatasetFormatError, DatasetNotFoundError, EmptyClassFolderError, LabelOutOfRangeError } from './errors.js';
import { selectIndices } from './split.js';

export const IMAGENET_HELP =
  'ImageNet (ILSVRC-2012) is distributed at https://image-net.org (after registration). Expected layout: ' +
  'one sub-folder per class under the root, images inside it, e.g. train/n01440764/n01440764_10026.JPEG; ' +
  'for a val set kept flat, use ImageList with a list file of "relative/path.JPEG label" lines.';

const FILE_DATASET_PROPERTIES = {
  on_corrupt: {
    type: 'string',
    enum: ['skip', 'error'],
    default: 'skip',
    description: 'An image that cannot be decoded: skip it with a warning (counted, replaced by the next image) or fail.',
  },
  color_type: {
    type: 'string',
    enum: ['color', 'grayscale'],
    default: 'color',
    description: 'Decode to 3-channel RGB or 1-channel grey.',
  },
  ...COMMON_DATASET_PROPERTIES,
} as const;

interface FileDatasetConfig extends CommonDatasetConfig {
  on_corrupt: 'skip' | 'error';
  color_type: 'color' | 'grayscale';
}

/** A file dataset over a list of paths and labels, restricted to the samples its split keeps. */
class FileList implements FileDataset {
  readonly kind = 'files' as const;
  readonly numClasses: number;
  readonly onCorrupt: 'skip' | 'error';
  readonly channels: 1 | 3;
  readonly pipeline: readonly TypedConfig[];
  private readonly indices: Int32Array;

  constructor(
    private readonly paths: string[],
    private readonly labels: Int32Array,
    readonly classes: readonly string[],
    cfg: FileDatasetConfig,
  ) {
    this.numClasses = classes.length;
    this.onCorrupt = cfg.on_corrupt;
    this.channels = cfg.color_type === 'grayscale' ? 1 : 3;
    this.pipeline = cfg.pipeline;
    this.indices = selectIndices(paths.length, cfg.split);
  }

  get length(): number {
    return this.indices.length;
  }

  label(i: number): number {
    return this.labels[this.indices[i]!]!;
  }

  path(i: number): string {
    return this.paths[this.indices[i]!]!;
  }
}

function requireDirectory(path: string, what: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new DatasetNotFoundError(path, what, IMAGENET_HELP);
}

/** Byte order, as Python's sorted() and torchvision do, so class indices match across tools. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function imagesUnder(dir: string, extensions: Set<string>): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodeUnit(a.name, b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...imagesUnder(path, extensions));
    else if (extensions.has(extname(entry.name).toLowerCase())) out.push(path);
  }
  return out;
}

export interface ImageFolderConfig extends FileDatasetConfig {
  data_root: string;
  extensions: string[];
}

export const IMAGE_FOLDER_SCHEMA = {
  type: 'object',
  properties: {
    data_root: { type: 'string', description: 'Root folder with one sub-folder of images per class (ImageNet layout).' },
    extensions: {
      type: 'array',
      items: { type: 'string' },
      default: ['.jpeg', '.jpg', '.png', '.webp'],
      description: 'File endings counted as images (case-insensitive).',
    },
    ...FILE_DATASET_PROPERTIES,
  },
  required: ['data_root'],
  additionalProperties: false,
};

/** Images in root/class_name/**; class index = position of the folder name in sorted order. */
export class ImageFolder extends FileList {
  constructor(cfg: Partial<ImageFolderConfig>) {
    const c = withDefaults<ImageFolderConfig>(IMAGE_FOLDER_SCHEMA, cfg);
    requireDirectory(c.data_root, 'ImageFolder root');
    const extensions = new Set(c.extensions.map((e) => e.toLowerCase()));
    const classes = readdirSync(c.data_root, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort(byCodeUnit);
    if (classes.length === 0) {
      throw new DatasetError(`ImageFolder root '${c.data_root}' has no class sub-folder. ${IMAGENET_HELP}`);
    }
    const paths: string[] = [];
    const labels: number[] = [];
    classes.forEach((name, label) => {
      const files = imagesUnder(join(c.data_root, name), extensions);
      if (files.length === 0) throw new EmptyClassFolderError(join(c.data_root, name), c.extensions);
      for (const file of files) {
        paths.push(file);
        labels.push(label);
      }
    });
    super(paths, Int32Array.from(labels), classes, c);
  }
}

export interface ImageListConfig extends FileDatasetConfig {
  list_file: string;
  data_root: string | null;
  num_classes: number | null;
  classes: string[] | null;
}

export const IMAGE_LIST_SCHEMA = {
  type: 'object',
  properties: {
    list_file: { type: 'string', description: 'Text file of "path label" lines (blank lines and lines starting with # are ignored).' },
    data_root: {
      type: ['string', 'null'],
      default: null,
      description: 'Folder that relative paths in the list start from; null: the folder of the list file.',
    },
    num_classes: {
      type: ['integer', 'null'],
      minimum: 1,
      default: null,
      description: 'Number of classes; labels must lie in [0, num_classes). null: the largest label + 1 (or len(classes)).',
    },
    classes: {
      type: ['array', 'null'],
      items: { type: 'string' },
      default: null,
      description: 'Class names by label; null: the labels as strings.',
    },
    ...FILE_DATASET_PROPERTIES,
  },
  required: ['list_file'],
  additionalProperties: false,
};

/** Images named by a list file of "path label" lines, as ImageNet val lists are kept. */
export class ImageList extends FileList {
  constructor(cfg: Partial<ImageListConfig>) {
    const c = withDefaults<ImageListConfig>(IMAGE_LIST_SCHEMA, cfg);
    if (!existsSync(c.list_file) || !statSync(c.list_file).isFile()) {
      throw new DatasetNotFoundError(c.list_file, 'Image list file', `Expected lines "relative/path.JPEG label". ${IMAGENET_HELP}`);
    }
    const root = c.data_root ?? dirname(c.list_file);
    requireDirectory(root, 'ImageList data_root');
    const declared = c.num_classes ?? c.classes?.length ?? null;
    const paths: string[] = [];
    const labels: number[] = [];
    readFileSync(c.list_file, 'utf8')
      .split(/\r?\n/)
      .forEach((raw, lineIndex) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#')) return;
        const match = /^(.*\S)\s+(-?\d+)$/.exec(line);
        if (!match) throw new DatasetFormatError(c.list_file, `"path label" on line ${lineIndex + 1}, found "${line}"`);
        const label = Number(match[2]);
        if (label < 0 || (declared !== null && label >= declared)) {
          throw new LabelOutOfRangeError(c.list_file, label, declared, `line ${lineIndex + 1}`);
        }
        const path = isAbsolute(match[1]!) ? match[1]! : join(root, match[1]!);
        if (!existsSync(path)) {
          throw new DatasetNotFoundError(path, `Image listed on line ${lineIndex + 1} of '${c.list_file}'`, `Relative paths start at '${root}' (data_root).`);
        }
        paths.push(path);
        labels.push(label);
      });
    if (paths.length === 0) throw new DatasetFormatError(c.list_file, 'at least one "path label" line');
    const numClasses = declared ?? labels.reduce((a, b) => Math.max(a, b), 0) + 1;
    const classes = c.classes ?? Array.from({ length: numClasses }, (_, k) => String(k));
    if (classes.length !== numClasses) {
      throw new DatasetError(`ImageList '${c.list_file}': classes has ${classes.length} names but num_classes is ${numClasses}.`);
    }
    super(paths, Int32Array.from(labels), classes, c);
  }
}
