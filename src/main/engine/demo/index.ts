/** The built-in demo dataset: synthetic faces with known, independent factors. */
export { renderDemoFace } from './render-face'
export { generateDemoFaces } from './generate'
export { demoFaceRegions, type PixelBox } from './face-layout'
export { writeDemoFolder } from './write-folder'
