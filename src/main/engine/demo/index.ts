/** The built-in demo dataset: synthetic faces with known, independent factors. */
export { demoFactorInfo, demoFactorNames, describeDemoFactors, sampleDemoFactors } from './factors'
export type { DemoFactorName, DemoFactors, DemoFactorSpec } from './factors'
export { renderDemoFace, renderDemoFaceInto } from './render-face'
export { generateDemoFaces, iterateDemoFaces } from './generate'
export type { DemoFaces } from './generate'
export { demoFaceRegions } from './face-layout'
export type { DemoFaceRegions, PixelBox } from './face-layout'
export { writeDemoFolder } from './write-folder'
