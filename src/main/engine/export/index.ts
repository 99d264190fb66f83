/** What the studio writes for use outside it: PNGs that carry their code, animations, the networks. */
export { encodeGif, encodeWebp, type AnimationOptions } from './animation'
export { exportLayersModel, type ExportedModelInfo } from './layers-model'
export { encodePngWithCode, pngCodeKeyword, readPngCode, type PngCode } from './png-code'
