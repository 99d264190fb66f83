/** What leaves the studio as files: PNGs (grids, or one image carrying its code), animations, the model. */
import type { Handlers } from '../../../shared/contract'
import { encodeGif, encodeWebp } from '../export/animation'
import { exportLayersModel } from '../export/layers-model'
import { encodePngWithCode } from '../export/png-code'
import { writeFileAtomic } from '../fs/atomic-write'
import { composeGrid, encodePng } from '../image/png'
import { decodeCodes } from '../inference/inference'
import type { EngineSession } from './engine-session'
import { resolveRef, toolContext } from './tool-context'

/** Bytes written where the request says (the host already confined the path), and handed back. */
async function saved(bytes: Uint8Array, path: string | undefined): Promise<{ path: string | null; bytes: Uint8Array }> {
  if (path) await writeFileAtomic(path, bytes)
  return { path: path ?? null, bytes }
}

export function exportHandlers(session: EngineSession): Handlers<'exportCodePng' | 'exportAnimation' | 'exportModel' | 'exportPng'> {
  return {
    async exportCodePng(req) {
      const ctx = await toolContext(session)
      const image = decodeCodes(ctx.model, [resolveRef(ctx, { code: req.code })])[0]
      return saved(await encodePngWithCode(image, { code: req.code, seed: req.seed, checkpointStep: ctx.step }), req.path)
    },
    async exportAnimation(req) {
      const encode = req.format === 'gif' ? encodeGif : encodeWebp
      return saved(await encode(req.frames, { delayMs: req.delayMs, loop: req.loop }), req.path)
    },
    async exportModel(req) {
      const ctx = await toolContext(session)
      const info = await exportLayersModel(ctx.model, req.folder)
      return { folder: req.folder, encoder: info.encoder, decoder: info.decoder, latentDim: info.latentDim, imageSize: info.imageSize, channels: info.channels }
    },
    exportPng: async (req) => saved(await encodePng(req.images.length === 1 ? req.images[0] : composeGrid(req.images, req.columns)), req.path)
  }
}
