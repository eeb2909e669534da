/**
 * Errors raised while reading an uploaded 3D model (STL or OBJ). Every one is an instance of `ModelError`
 * (so a route can catch "anything wrong with the file" in one `instanceof`), carries a distinct
 * machine-readable `code`, an HTTP `statusCode` (400 for an empty body, 422 for a body that is
 * there but unusable), and a message written for the customer: it says what was found and
 * what to do about it.
 */
import createError from '@fastify/error';

export type ModelErrorCode =
  | 'MODEL_EMPTY'
  | 'MODEL_NOT_STL'
  | 'MODEL_TRUNCATED'
  | 'MODEL_NO_TRIANGLES'
  | 'MODEL_BAD_NUMBER'
  | 'MODEL_BAD_SYNTAX'
  | 'MODEL_TOO_LARGE'
  | 'MODEL_NOT_OBJ'
  | 'MODEL_BAD_INDEX'
  | 'MODEL_UNKNOWN_UNIT';

/**
 * The common base of all model errors. It is never thrown itself; the constructors below are
 * built by `@fastify/error` with this class as their prototype parent, so `instanceof
 * ModelError` holds for every one of them and narrows `code` to the union above.
 */
export class ModelError extends Error {
  declare readonly code: ModelErrorCode;
  declare readonly statusCode: 400 | 422;
}

// @fastify/error types its Base parameter as the global ErrorConstructor (which is callable);
// it only uses Base.prototype, so handing it a class is safe.
const Base = ModelError as unknown as ErrorConstructor;

export const ModelEmptyError = createError<'MODEL_EMPTY', 400, []>(
  'MODEL_EMPTY',
  'The uploaded file is empty; upload a binary or ASCII STL file.',
  400,
  Base,
);

/** Arg: what the file looks like instead, e.g. "starts with 'PK' (a ZIP archive?)". */
export const ModelNotStlError = createError<'MODEL_NOT_STL', 422, [string]>(
  'MODEL_NOT_STL',
  'The uploaded file is not an STL model: it %s. Export the model from your CAD program as STL (binary or ASCII) and upload that file.',
  422,
  Base,
);

/** Args: claimed triangles, bytes those need, bytes actually received. */
export const ModelTruncatedError = createError<'MODEL_TRUNCATED', 422, [number, number, number]>(
  'MODEL_TRUNCATED',
  'The binary STL header claims %d triangles (%d bytes) but the file has only %d bytes; the upload was cut off or the file is damaged. Upload it again, or re-export it from your CAD program.',
  422,
  Base,
);

/** Arg: where the emptiness was seen, e.g. "the binary header says 0 triangles". */
export const ModelNoTrianglesError = createError<'MODEL_NO_TRIANGLES', 422, [string]>(
  'MODEL_NO_TRIANGLES',
  'The STL file contains no triangles (%s). Check that the export included the model geometry and upload it again.',
  422,
  Base,
);

/** Args: the offending value as text, and where it is ("line 12" or "triangle 3, vertex 2"). */
export const ModelBadNumberError = createError<'MODEL_BAD_NUMBER', 422, [string, string]>(
  'MODEL_BAD_NUMBER',
  'The STL file has an invalid coordinate %s at %s; every coordinate must be a finite number. Repair or re-export the model from your CAD program.',
  422,
  Base,
);

/** Args: line number, what was expected and found. For ASCII files that start like STL but are not. */
export const ModelBadSyntaxError = createError<'MODEL_BAD_SYNTAX', 422, [number, string]>(
  'MODEL_BAD_SYNTAX',
  'The ASCII STL file is malformed at line %d: %s. Re-export the model from your CAD program (binary STL is preferred).',
  422,
  Base,
);

/** Arg: what exceeded which limit, e.g. "12000000 triangles, the limit is 5000000". */
export const ModelTooLargeError = createError<'MODEL_TOO_LARGE', 422, [string]>(
  'MODEL_TOO_LARGE',
  'The model is too large: %s. Reduce the triangle count (decimate or re-export at a coarser resolution) and upload it again.',
  422,
  Base,
);

// OBJ files get their own messages under the same codes where the fault is the same kind
// (syntax, number, no geometry), so a client handling MODEL_BAD_SYNTAX needs no new case, while
// the customer reads about the format they actually uploaded.

/** Arg: what the file looks like instead, e.g. "is binary, not text". */
export const ModelNotObjError = createError<'MODEL_NOT_OBJ', 422, [string]>(
  'MODEL_NOT_OBJ',
  'The uploaded file was declared as OBJ but it %s. OBJ models are text files with "v" and "f" lines; export the model as OBJ or STL and upload that file.',
  422,
  Base,
);

/** Args: line number, what was expected and found. */
export const ModelObjBadSyntaxError = createError<'MODEL_BAD_SYNTAX', 422, [number, string]>(
  'MODEL_BAD_SYNTAX',
  'The OBJ file is malformed at line %d: %s. Re-export the model from your CAD program.',
  422,
  Base,
);

/** Args: the offending value as text, and the line. */
export const ModelObjBadNumberError = createError<'MODEL_BAD_NUMBER', 422, [string, number]>(
  'MODEL_BAD_NUMBER',
  'The OBJ file has an invalid coordinate %s at line %d; every coordinate must be a finite number. Repair or re-export the model from your CAD program.',
  422,
  Base,
);

/** Args: line, the index as written, the number of vertices it may refer to. */
export const ModelBadIndexError = createError<'MODEL_BAD_INDEX', 422, [number, string, number]>(
  'MODEL_BAD_INDEX',
  'The OBJ file has a face at line %d that refers to vertex %s, but the file defines %d vertices (indices start at 1; negative ones count back from the last vertex defined before the face). The file is incomplete or damaged; re-export it from your CAD program.',
  422,
  Base,
);

/** Arg: how many vertices the file has. */
export const ModelObjNoFacesError = createError<'MODEL_NO_TRIANGLES', 422, [number]>(
  'MODEL_NO_TRIANGLES',
  'The OBJ file contains no faces (it has %d vertices but no "f" lines), so there is no surface to make. Export the model as a mesh (not as points or curves) and upload it again.',
  422,
  Base,
);

/** Args: the unit as given, the accepted ones. */
export const ModelUnknownUnitError = createError<'MODEL_UNKNOWN_UNIT', 400, [string, string]>(
  'MODEL_UNKNOWN_UNIT',
  "The unit '%s' is not known; use one of %s (millimetres when not given).",
  400,
  Base,
);

export function isModelError(err: unknown): err is ModelError {
  return err instanceof ModelError;
}
