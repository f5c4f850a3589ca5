import { UserError } from '../errors.js';

/** Base of dataset errors a user can fix (a path, a file, a config value). */
export class DatasetError extends UserError {}

/** A directory or file the dataset needs does not exist. */
export class DatasetNotFoundError extends DatasetError {
  constructor(readonly path: string, what: string, help = '') {
    super(`${what} not found at '${path}'.${help ? ` ${help}` : ''}`);
  }
}

/** A class folder of an ImageFolder holds no image with a known extension. */
export class EmptyClassFolderError extends DatasetError {
  constructor(readonly path: string, extensions: readonly string[]) {
    super(
      `Class folder '${path}' holds no image (expected files ending in ${extensions.join(', ')}). ` +
        'Remove the folder or add its images: every sub-folder of the root is a class.',
    );
  }
}

/** An image file cannot be decoded (and on_corrupt is 'error', or no readable image is left). */
export class UnreadableImageError extends DatasetError {
  constructor(readonly path: string, reason: string) {
    super(
      `Cannot decode image '${path}': ${reason}. Expected a JPEG, PNG or WebP file; ` +
        "set the dataset's on_corrupt: skip to skip such files with a warning.",
    );
  }
}

/** A label read from a file or list lies outside [0, numClasses). */
export class LabelOutOfRangeError extends DatasetError {
  constructor(readonly path: string, readonly label: number, readonly numClasses: number | null, where: string) {
    super(
      `Label ${label} at ${where} of '${path}' is out of range: expected ` +
        (numClasses === null ? 'a non-negative integer.' : `an integer in [0, ${numClasses - 1}] (${numClasses} classes).`),
    );
  }
}

/** A data file exists but its content does not have the expected format. */
export class DatasetFormatError extends DatasetError {
  constructor(readonly path: string, expected: string) {
    super(`File '${path}' does not have the expected format: ${expected}.`);
  }
}

/** A pipeline or loader setting that cannot work (transform order, image sizes in a batch). */
export class PipelineError extends DatasetError {}
