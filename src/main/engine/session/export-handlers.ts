/** What leaves the studio as files: PNGs (grids, or one image carrying its code), animations, the model. */
import type { EngineMethodsOf, Handlers } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import { encodeGif, encodeWebp } from '../export/animation'
import { exportLayersModel } from '../export/layers-model'
import { encodePngWithCode } from '../export/png-code'
import { writeSampleFolder } from '../export/sample-folder'
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

export function exportHandlers(session: EngineSession): Handlers<EngineMethodsOf<'export'>> {
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
    async exportSamples(req) {
      session.assertIdle('export generated faces')
      if (session.exporting) throw new StudioError('busy', 'generated faces are already being exported')
      const current = await session.requireModel()
      const { model, step } = current
      const sampler = await session.codeSampler(current, req.sampling)
      const cancel = new AbortController()
      session.exporting = cancel
      try {
        return await writeSampleFolder({
          folder: req.folder,
          count: req.count,
          // One seed per sample: `model:sample` with that seed and count 1 makes it again.
          codeOf: (i) => {
            const seed = (req.seed + i) % 2 ** 31
            return { code: sampler.sample(1, req.temperature, seed)[0], seed }
          },
          decode: (codes) => session.gridDecoder.decode(model, codes),
          made: { sampling: sampler.from, temperature: req.temperature, checkpointStep: step },
          signal: cancel.signal,
          onProgress: (done, total) => session.emit('export:progress', { done, total })
        })
      } finally {
        session.exporting = null
      }
    },
    async exportCancel() {
      const running = session.exporting
      running?.abort()
      return { cancelled: running !== null }
    },
    async exportModel(req) {
      const ctx = await toolContext(session)
      const info = await exportLayersModel(ctx.model, req.folder)
      return {
        folder: req.folder,
        encoder: info.encoder,
        decoder: info.decoder,
        latentDim: info.latentDim,
        imageSize: info.imageSize,
        channels: info.channels
      }
    },
    exportPng: async (req) =>
      saved(await encodePng(req.images.length === 1 ? req.images[0] : composeGrid(req.images, req.columns)), req.path)
  }
}
