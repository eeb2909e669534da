import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseObj } from '../../src/platform/geometry/obj.js';
import { detectModelFormat, readModel } from '../../src/platform/geometry/read-model.js';
import { analyzeMesh } from '../../src/platform/geometry/mesh.js';
import { testModel, toAsciiStl, toBinaryStl, toObj } from '../../src/platform/geometry/generate.js';
import { validateMesh } from '../../src/platform/geometry/validate.js';
import { TETRA, throwsCode } from './geometry-helpers.js';

const obj = (...lines: string[]): Buffer => Buffer.from(lines.join('\n'));

// The tetrahedron of TETRA as an indexed OBJ: vertices 1..4 = O, X, Y, Z.
const TETRA_OBJ = obj(
  '# a tetrahedron',
  'mtllib tetra.mtl',
  'o tetra',
  'v 0 0 0',
  'v 1 0 0',
  'v 0 1 0',
  'v 0 0 1',
  'vn 0 0 -1',
  'vt 0.5 0.5',
  'g side',
  'usemtl gold',
  's off',
  'f 1 3 2',
  'f 1 2 4',
  'f 1 4 3',
  'f 2 3 4',
  '',
);

test('OBJ: reads v / f into the same triangles as the STL, ignoring everything else', () => {
  const mesh = readModel(TETRA_OBJ, { filename: 'tetra.obj' });
  assert.equal(mesh.format, 'obj');
  assert.equal(mesh.triangleCount, 4);
  assert.deepEqual(Array.from(mesh.positions), TETRA.flat());
  assert.equal(analyzeMesh(mesh).volumeMm3, 1 / 6);
  assert.equal(validateMesh(mesh).watertight, true);
});

test('OBJ: f 1/2/3, f 1//3, f 1/2, negative indices, CRLF, tabs and a BOM', () => {
  const text = [
    '\ufeffv 0 0 0 1', // optional w
    'v 1 0 0 0.5 0.5 0.5', // vertex colours
    'v\t0 1 0',
    'v 0 0 1',
    'vt 0 0',
    'vn 0 0 1',
    'f 1/1/1 3/1/1 2/1/1',
    'f 1//1 2//1 4//1',
    'f -4/1 -1/1 -2/1', // relative: 1 4 3
    'f\t2 3 4   ',
  ].join('\r\n');
  const mesh = readModel(Buffer.from(text, 'utf8'));
  assert.equal(mesh.format, 'obj');
  assert.deepEqual(Array.from(mesh.positions), TETRA.flat());
});

test('OBJ: polygons are fan-triangulated; a quad cube is the same solid as the triangle one', () => {
  const cube = obj(
    'v -1 -1 -1',
    'v 1 -1 -1',
    'v -1 1 -1',
    'v 1 1 -1',
    'v -1 -1 1',
    'v 1 -1 1',
    'v -1 1 1',
    'v 1 1 1',
    'f 5 6 8 7',
    'f 1 3 4 2',
    'f 2 4 8 6',
    'f 1 5 7 3',
    'f 3 7 8 4',
    'f 1 2 6 5',
  );
  const mesh = readModel(cube);
  assert.equal(mesh.triangleCount, 12);
  const a = analyzeMesh(mesh);
  assert.equal(a.volumeMm3, 8);
  assert.equal(a.areaMm2, 24);
  assert.equal(validateMesh(mesh).watertight, true);
  // A hexagon fan: 4 triangles, first corner shared.
  const hex = parseObj(
    obj('v 0 0 0', 'v 1 0 0', 'v 2 1 0', 'v 1 2 0', 'v 0 2 0', 'v -1 1 0', 'f 1 2 3 4 5 6'),
    100,
  );
  assert.equal(hex.triangleCount, 4);
  assert.deepEqual(
    Array.from(hex.positions.subarray(27, 36)),
    [0, 0, 0, 1, 2, 0, 0, 2, 0]
      .map((v, i) => (i < 3 ? 0 : v))
      .slice(0, 9)
      .map((_, i) => [0, 0, 0, 0, 2, 0, -1, 1, 0][i]!),
  );
});

test('OBJ written from a mesh reads back to identical triangles and figures', () => {
  for (const shape of ['torus', 'sphere', 'cube'] as const) {
    const { mesh } = testModel(shape, 5_000);
    const back = readModel(toObj(mesh), { filename: 'x.obj' });
    // Equal as numbers: welding merges −0 into +0, as it should.
    assert.equal(back.triangleCount, mesh.triangleCount);
    assert.ok(
      back.positions.every((v, i) => v === mesh.positions[i]),
      shape,
    );
    assert.equal(analyzeMesh(back).volumeMm3, analyzeMesh(mesh).volumeMm3);
  }
});

test('OBJ: faces may refer to vertices defined later', () => {
  const mesh = readModel(
    obj('f 1 3 2', 'f 1 2 4', 'f 1 4 3', 'f 2 3 4', 'v 0 0 0', 'v 1 0 0', 'v 0 1 0', 'v 0 0 1'),
  );
  assert.deepEqual(Array.from(mesh.positions), TETRA.flat());
});

test('OBJ errors: missing vertex, zero or too negative index, no faces, bad numbers and syntax', () => {
  const missing = throwsCode(
    () => readModel(obj('v 0 0 0', 'v 1 0 0', 'v 0 1 0', 'f 1 2 3', 'f 1 2 9')),
    'MODEL_BAD_INDEX',
  );
  assert.match(missing.message, /face at line 5 that refers to vertex 9, but the file defines 3 vertices/);
  assert.match(
    throwsCode(() => readModel(obj('v 0 0 0', 'v 1 0 0', 'v 0 1 0', 'f 0 1 2')), 'MODEL_BAD_INDEX').message,
    /line 4 that refers to vertex 0/,
  );
  assert.match(
    throwsCode(() => readModel(obj('v 0 0 0', 'v 1 0 0', 'f -1 -2 -3', 'v 0 1 0')), 'MODEL_BAD_INDEX')
      .message,
    /line 3 that refers to vertex -3, but the file defines 2 vertices/,
  );
  const noFaces = throwsCode(
    () => readModel(obj('# points only', 'v 0 0 0', 'v 1 0 0', 'l 1 2')),
    'MODEL_NO_TRIANGLES',
  );
  assert.match(noFaces.message, /OBJ file contains no faces \(it has 2 vertices/);
  assert.match(
    throwsCode(() => readModel(obj('v 0 nan 0', 'v 1 0 0', 'v 0 1 0', 'f 1 2 3')), 'MODEL_BAD_NUMBER')
      .message,
    /OBJ file has an invalid coordinate 'nan' at line 1/,
  );
  for (const bad of ['1e999', 'inf', '1,5', '0x1']) {
    throwsCode(() => readModel(obj('v 0 0 0', `v 1 ${bad} 0`, 'v 0 1 0', 'f 1 2 3')), 'MODEL_BAD_NUMBER');
  }
  assert.match(
    throwsCode(() => readModel(obj('v 0 0', 'f 1 1 1')), 'MODEL_BAD_SYNTAX').message,
    /OBJ file is malformed at line 1: a vertex \('v'\) needs 3 coordinates, found 2/,
  );
  assert.match(
    throwsCode(() => readModel(obj('v 0 0 0', 'v 1 0 0', 'f 1 2')), 'MODEL_BAD_SYNTAX').message,
    /line 3: a face \('f'\) needs at least 3 vertices, found 2/,
  );
  assert.match(
    throwsCode(() => readModel(obj('v 0 0 0', 'f 1 x 1')), 'MODEL_BAD_SYNTAX').message,
    /expected a vertex number in the face but found 'x'/,
  );
  throwsCode(
    () => readModel(obj('v 0 0 0', 'v 1 0 0', 'v 0 1 0', 'f 1 2 3', 'f 1 2 3'), { maxTriangles: 1 }),
    'MODEL_TOO_LARGE',
  );
});

test('readModel picks the reader from format, extension and content', () => {
  const { mesh } = testModel('torus', 2_000);
  const bin = toBinaryStl(mesh);
  const ascii = toAsciiStl(mesh);
  const o = toObj(mesh);
  assert.equal(detectModelFormat(bin), 'binary');
  assert.equal(detectModelFormat(ascii), 'ascii');
  assert.equal(detectModelFormat(o), 'obj');
  assert.equal(detectModelFormat(bin, 'ring.obj'), 'binary', 'unmistakable content beats the extension');
  assert.equal(detectModelFormat(o, 'ring.stl'), 'obj');
  assert.equal(
    detectModelFormat(Buffer.from('hello\n'), 'ring.obj'),
    'obj',
    'the extension decides for other text',
  );
  for (const b of [bin, ascii, o]) assert.deepEqual(readModel(b).positions, mesh.positions);
  // A declared format is obeyed: OBJ bytes declared as STL are not an STL…
  throwsCode(() => readModel(o, { format: 'stl' }), 'MODEL_NOT_STL');
  // …and binary bytes declared as OBJ are not an OBJ, with a hint at what they are.
  assert.match(throwsCode(() => readModel(bin, { format: 'obj' }), 'MODEL_NOT_OBJ').message, /binary STL\?/);
  assert.match(
    throwsCode(() => readModel(Buffer.from('%PDF-1.7 ...'), { format: 'obj' }), 'MODEL_NOT_OBJ').message,
    /PDF/,
  );
  // Text that is neither, without a hint, is explained as not an STL.
  assert.match(
    throwsCode(() => readModel(Buffer.from('hello world\n')), 'MODEL_NOT_STL').message,
    /text starting with 'hello/,
  );
  assert.equal(readModel(o, { format: 'obj' }).format, 'obj');
  assert.equal(readModel(bin, { format: 'stl' }).format, 'binary');
});
