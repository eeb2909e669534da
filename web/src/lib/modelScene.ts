/**
 * A lit, centred, orbitable view of one geometry in a container element (three.js WebGL).
 * Only the lazily loaded preview uses this module.
 */
import {
  Color,
  DirectionalLight,
  DoubleSide,
  HemisphereLight,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  Vector3,
  WebGLRenderer,
  type BufferGeometry,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export class WebGLUnavailableError extends Error {
  constructor() {
    super('This browser cannot show 3D graphics (WebGL 2 is unavailable or disabled).');
    this.name = 'WebGLUnavailableError';
  }
}

export interface ModelScene {
  /** Frees the GPU resources and removes the canvas. */
  dispose(): void;
}

const FOV = 40;
/** Where the camera looks from, before scaling to the model: above, front-right. */
const VIEW_DIRECTION = new Vector3(1, 0.9, 1.4).normalize();

/** A WebGL 2 context of our own: checking first avoids three.js logging an error when there is none. */
function createContext(canvas: HTMLCanvasElement): WebGL2RenderingContext {
  let gl: WebGL2RenderingContext | null;
  try {
    gl = canvas.getContext('webgl2', { antialias: true, alpha: false });
  } catch {
    gl = null; // some browsers throw instead of answering null
  }
  if (!gl) throw new WebGLUnavailableError();
  return gl;
}

/**
 * Renders `geometry` (which it centres, and disposes on `dispose`) into `container` and renders
 * the first frame before returning. Throws WebGLUnavailableError when there is no WebGL.
 */
export function showModel(container: HTMLElement, geometry: BufferGeometry): ModelScene {
  const canvas = document.createElement('canvas');
  const renderer = new WebGLRenderer({ canvas, context: createContext(canvas), antialias: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));

  const scene = new Scene();
  scene.background = new Color(0xf4f1ea);
  scene.add(new HemisphereLight(0xffffff, 0x8a7a60, 1.6));

  // STL and OBJ files for jewellery are usually Z-up; three.js is Y-up.
  geometry.center();
  const material = new MeshStandardMaterial({
    color: 0xd4a84b,
    metalness: 0.4,
    roughness: 0.35,
    side: DoubleSide, // an open or inside-out mesh still shows its faces
  });
  const mesh = new Mesh(geometry, material);
  mesh.rotation.x = -Math.PI / 2;
  scene.add(mesh);

  geometry.computeBoundingSphere();
  const radius = Math.max(geometry.boundingSphere?.radius ?? 1, 1e-6);
  const distance = (radius / Math.sin(((FOV / 2) * Math.PI) / 180)) * 1.1;
  const camera = new PerspectiveCamera(FOV, 1, distance / 100, distance * 10);
  camera.position.copy(VIEW_DIRECTION).multiplyScalar(distance);
  const keyLight = new DirectionalLight(0xffffff, 2.2);
  keyLight.position.set(0.5, 1, 1);
  camera.add(keyLight); // lit from the viewer's side, whichever way the model is turned
  scene.add(camera);

  const controls = new OrbitControls(camera, canvas);
  controls.minDistance = radius * 1.2;
  controls.maxDistance = distance * 5;
  const render = () => renderer.render(scene, camera);
  controls.addEventListener('change', render);

  const resize = () => {
    const width = Math.max(container.clientWidth, 1);
    const height = Math.max(container.clientHeight, 1);
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    render();
  };
  const observer = new ResizeObserver(resize);
  observer.observe(container);
  container.appendChild(canvas);
  controls.update();
  resize();

  return {
    dispose() {
      observer.disconnect();
      controls.removeEventListener('change', render);
      controls.dispose();
      geometry.dispose();
      material.dispose();
      renderer.dispose();
      renderer.forceContextLoss();
      canvas.remove();
    },
  };
}
