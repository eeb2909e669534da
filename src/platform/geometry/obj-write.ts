/**
 * OBJ writer, the inverse of obj.ts: shared vertices (welded by bit pattern, as topology.ts
 * does) and one triangle per `f` line. Numbers print with 9 significant digits, enough for
 * every float32 to read back identically. Used by tests and the benchmark.
 */
import type { Mesh } from './mesh.js';
import { weldVertices } from './topology.js';

function num(v: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e9 ? String(v) : v.toPrecision(9);
}

export function toObj(mesh: Mesh, comment = 'written by atelier platform/geometry'): Buffer {
  const p = mesh.positions;
  const { ids } = weldVertices(p, mesh.triangleCount);
  const chunks: Buffer[] = [];
  let text = `# ${comment}\no model\n`;
  const flush = (): void => {
    chunks.push(Buffer.from(text, 'latin1'));
    text = '';
  };
  // Ids are numbered in order of first use, so a vertex is written when its id first appears.
  for (let c = 0, next = 0; c < ids.length; c++) {
    if (ids[c] !== next) continue;
    next++;
    text += `v ${num(p[3 * c]!)} ${num(p[3 * c + 1]!)} ${num(p[3 * c + 2]!)}\n`;
    if ((next & 4095) === 0) flush();
  }
  for (let t = 0; t < mesh.triangleCount; t++) {
    text += `f ${ids[3 * t]! + 1} ${ids[3 * t + 1]! + 1} ${ids[3 * t + 2]! + 1}\n`;
    if ((t & 4095) === 4095) flush();
  }
  flush();
  return Buffer.concat(chunks);
}
