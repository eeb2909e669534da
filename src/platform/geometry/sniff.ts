/**
 * What a file looks like from its first bytes: known non-model signatures, text or binary, an
 * ASCII STL's "solid", an OBJ's statements. Used to pick a reader and to explain a refusal.
 * Every test looks at a bounded prefix, so it costs the same for a 2 KB or a 200 MB upload.
 */

const SIGNATURES: ReadonlyArray<readonly [string, string]> = [
  ['PK', 'a ZIP archive? 3MF models are ZIP archives too'],
  ['%PDF', 'a PDF document?'],
  ['\x89PNG', 'a PNG image?'],
  ['\xff\xd8\xff', 'a JPEG image?'],
  ['GIF8', 'a GIF image?'],
  ['\x1f\x8b', 'a gzip-compressed file? unpack it first'],
  ['Rar!', 'a RAR archive?'],
  ['7z\xbc\xaf', 'a 7-Zip archive?'],
  ['glTF', 'a binary glTF (GLB) model?'],
  ['ply', 'a PLY model?'],
  ['ISO-10303', 'a STEP CAD file?'],
  ['Kaydara FBX', 'an FBX model?'],
  ['BLENDER', 'a Blender file?'],
  ['<', 'an XML or HTML document?'],
  ['{', 'a JSON document (glTF?)'],
];

/** What a known non-model signature at the start suggests the file is, if any. */
export function knownSignature(b: Uint8Array): string | undefined {
  outer: for (const [magic, what] of SIGNATURES) {
    if (b.length < magic.length) continue;
    for (let i = 0; i < magic.length; i++) if (b[i] !== magic.charCodeAt(i)) continue outer;
    return what;
  }
  return undefined;
}

/** True if the first 1 KiB has no control bytes other than whitespace (binary floats do). */
export function looksLikeText(b: Uint8Array): boolean {
  const end = Math.min(b.length, 1024);
  for (let i = 0; i < end; i++) {
    const c = b[i]!;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) return false;
    if (c === 127) return false;
  }
  return true;
}

/** Index after a UTF-8 byte order mark, if there is one. */
export function afterBom(b: Uint8Array): number {
  return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
}

/** "solid" as the first word, after an optional BOM and whitespace. */
export function startsWithSolid(b: Uint8Array): boolean {
  let i = afterBom(b);
  while (i < b.length && (b[i] === 32 || b[i] === 9 || b[i] === 10 || b[i] === 13)) i++;
  for (let k = 0; k < 5; k++) if (((b[i + k] ?? 0) | 0x20) !== 'solid'.charCodeAt(k)) return false;
  const after = b[i + 5];
  return after === undefined || after === 32 || after === 9 || after === 10 || after === 13;
}

/** Statements an OBJ file starts with (after comments): geometry, grouping, materials. */
const OBJ_STATEMENTS = new Set(['v', 'vt', 'vn', 'vp', 'f', 'o', 'g', 's', 'l', 'p', 'mtllib', 'usemtl']);

/**
 * True if the first statement that is not a comment or blank line (within the first 4 KiB) is
 * an OBJ statement. Text formats' first words differ, so one statement is enough evidence.
 */
export function looksLikeObj(b: Uint8Array): boolean {
  const end = Math.min(b.length, 4096);
  let i = afterBom(b);
  while (i < end) {
    while (i < end && (b[i] === 32 || b[i] === 9 || b[i] === 10 || b[i] === 13)) i++;
    if (i >= end) return false;
    if (b[i] === 35) {
      // '#' comment: skip the line
      while (i < end && b[i] !== 10) i++;
      continue;
    }
    let word = '';
    while (i < end && b[i]! > 32 && word.length < 8) word += String.fromCharCode(b[i++]!);
    const next = b[i];
    return (
      OBJ_STATEMENTS.has(word) &&
      (next === undefined || next === 32 || next === 9 || next === 10 || next === 13)
    );
  }
  return false;
}

/** The first `n` bytes, printable ASCII as is and everything else as \xNN. */
export function preview(b: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < Math.min(n, b.length); i++) {
    const c = b[i]!;
    s += c >= 32 && c < 127 && c !== 39 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}
