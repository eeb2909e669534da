/**
 * The validation report shown with a quote: is the model printable as measured? Nothing here
 * rejects a model (the readers do that for unreadable files); it says what may make the volume,
 * and so the price, wrong, in words a customer can act on. Issue codes are stable for clients.
 */
import { analyzeMesh, type Mesh, type MeshAnalysis, type ModelFileInfo } from './mesh.js';
import { BINARY_HEADER_BYTES, BINARY_TRIANGLE_BYTES, binaryExpectedBytes } from './stl-binary.js';
import { checkTopology, type Topology } from './topology.js';

export type ValidationIssueCode =
  | 'MESH_NOT_WATERTIGHT'
  | 'MESH_NON_MANIFOLD'
  | 'MESH_MISORIENTED'
  | 'MESH_INVERTED'
  | 'MESH_DEGENERATE_TRIANGLES'
  | 'MESH_NON_FINITE'
  | 'MESH_TRIANGLE_COUNT_MISMATCH';

export interface ValidationIssue {
  code: ValidationIssueCode;
  message: string;
}

export interface ValidationReport {
  /** No open and no non-manifold edges. */
  watertight: boolean;
  openEdges: number;
  nonManifoldEdges: number;
  /** Edges whose two triangles disagree on orientation (some triangles are flipped). */
  misorientedEdges: number;
  degenerateTriangles: number;
  nonFiniteCoordinates: number;
  /** Negative signed volume: the whole surface is wound inside out. */
  inverted: boolean;
  /** A binary STL with more bytes than its header's triangle count needs. */
  triangleCountMismatch?: { claimed: number; fromFileSize: number; extraBytes: number };
  issues: ValidationIssue[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Checks a mesh: closedness and orientation (topology.ts), degenerate and non-finite triangles
 * and winding (from `analysis`, computed when not given), and the file's own consistency
 * (`fileInfo`, by default what the reader recorded in `mesh.file`).
 */
export function validateMesh(
  mesh: Mesh,
  analysis: MeshAnalysis = analyzeMesh(mesh),
  fileInfo: ModelFileInfo | undefined = mesh.file,
): ValidationReport {
  return validationReport(checkTopology(mesh.positions, mesh.triangleCount), analysis, fileInfo);
}

/**
 * The report from figures already computed: the topology (which the pricing engine runs on a
 * worker thread), the analysis and the file's own consistency.
 */
export function validationReport(
  topo: Pick<Topology, 'openEdges' | 'nonManifoldEdges' | 'misorientedEdges'>,
  analysis: Pick<MeshAnalysis, 'degenerateTriangles' | 'nonFiniteCoordinates' | 'isInsideOut'>,
  fileInfo?: ModelFileInfo,
): ValidationReport {
  const issues: ValidationIssue[] = [];
  const report: ValidationReport = {
    watertight: topo.openEdges === 0 && topo.nonManifoldEdges === 0,
    openEdges: topo.openEdges,
    nonManifoldEdges: topo.nonManifoldEdges,
    misorientedEdges: topo.misorientedEdges,
    degenerateTriangles: analysis.degenerateTriangles,
    nonFiniteCoordinates: analysis.nonFiniteCoordinates,
    inverted: analysis.isInsideOut,
    issues,
  };

  if (topo.openEdges > 0) {
    issues.push({
      code: 'MESH_NOT_WATERTIGHT',
      message: `The model is not closed: ${plural(topo.openEdges, 'edge')} belong to only one triangle, so its volume (and price) may be wrong. Close the holes (most CAD and slicer programs have a "repair" or "make solid" command) and upload it again.`,
    });
  }
  if (topo.nonManifoldEdges > 0) {
    issues.push({
      code: 'MESH_NON_MANIFOLD',
      message: `${plural(topo.nonManifoldEdges, 'edge is', 'edges are')} shared by more than two triangles: the model probably has overlapping or touching parts. Merge them into one solid (a boolean union) before exporting.`,
    });
  }
  if (topo.misorientedEdges > 0) {
    issues.push({
      code: 'MESH_MISORIENTED',
      message: `Some triangles face the wrong way (${plural(topo.misorientedEdges, 'edge joins', 'edges join')} triangles of opposite orientation), which makes the volume wrong. Recalculate or unify the normals in your CAD program.`,
    });
  }
  if (analysis.isInsideOut) {
    issues.push({
      code: 'MESH_INVERTED',
      message:
        'The model is inside out (all normals point inwards). Its volume is taken as positive, but flip the normals before sending it to production.',
    });
  }
  if (analysis.degenerateTriangles > 0) {
    issues.push({
      code: 'MESH_DEGENERATE_TRIANGLES',
      message: `${plural(analysis.degenerateTriangles, 'triangle has', 'triangles have')} no area (collinear or repeated corners); they add nothing to the volume and are usually harmless, but may hide a gap.`,
    });
  }
  if (analysis.nonFiniteCoordinates > 0) {
    issues.push({
      code: 'MESH_NON_FINITE',
      message: `${plural(analysis.nonFiniteCoordinates, 'coordinate is', 'coordinates are')} not a number (NaN or infinite); their triangles were left out. Repair or re-export the model.`,
    });
  }
  const claimed = fileInfo?.claimedTriangles;
  if (claimed !== undefined && binaryExpectedBytes(claimed) < fileInfo!.byteLength) {
    const extraBytes = fileInfo!.byteLength - binaryExpectedBytes(claimed);
    const fromFileSize = Math.floor((fileInfo!.byteLength - BINARY_HEADER_BYTES) / BINARY_TRIANGLE_BYTES);
    report.triangleCountMismatch = { claimed, fromFileSize, extraBytes };
    issues.push({
      code: 'MESH_TRIANGLE_COUNT_MISMATCH',
      message: `The STL header says ${plural(claimed, 'triangle')}, but the file is ${plural(extraBytes, 'byte')} longer than that needs (room for ${fromFileSize}). Only the ${claimed} were read; if the model looks incomplete, re-export it.`,
    });
  }
  return report;
}
