/** Public surface of the geometry library: read STL, measure meshes, generate test models. */
export * from './stl.js';
export * from './mesh.js';
export * from './generate.js';
