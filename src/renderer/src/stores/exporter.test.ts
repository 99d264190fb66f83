import { describe, expect, it } from 'vitest'
import type { ExportedModel } from '../../../shared/contract'
import { fakeStudio } from '../../../../test/support/fake-studio'
import { Exporter } from './exporter.svelte'
import { Notices } from './notices.svelte'

const model: ExportedModel = {
  folder: '/home/ann/Faces-tfjs',
  encoder: 'encoder/model.json',
  decoder: 'decoder/model.json',
  latentDim: 8,
  imageSize: 64,
  channels: 3
}

describe('Exporter', () => {
  it('reports a saved file and stays quiet when the desktop save dialog was cancelled', async () => {
    let path: string | null = '/home/ann/face.png'
    const fake = fakeStudio({ exportCodePng: () => ({ path, bytes: new Uint8Array([1]) }) })
    const notices = new Notices()
    const exporter = new Exporter(fake.api, notices, true)
    await exporter.exportCodePng('image', [0.5, -0.5], 7)
    expect(fake.callsOf('exportCodePng')).toEqual([{ code: [0.5, -0.5], seed: 7 }])
    expect(exporter.lastSaved).toBe('/home/ann/face.png')
    expect(notices.items).toMatchObject([{ kind: 'info', title: 'Saved the image' }])
    path = null
    await exporter.exportCodePng('image', [0.5, -0.5])
    expect(fake.callsOf('exportCodePng')[1]).toEqual({ code: [0.5, -0.5] })
    expect(notices.items).toHaveLength(1)
    expect(exporter.busy).toBe(false)
  })

  it('exports the model into the chosen folder and shows failures with their code', async () => {
    let fail = false
    const fake = fakeStudio({
      exportModel: ({ folder }) => {
        if (fail) throw Object.assign(new Error(`${folder} is outside the folders you chose`), { code: 'forbidden-path' })
        return { ...model, folder }
      }
    })
    const notices = new Notices()
    const exporter = new Exporter(fake.api, notices, false)
    await exporter.exportModel('/home/ann/Faces-tfjs')
    expect(exporter.model).toEqual(model)
    fail = true
    await exporter.exportModel('/etc/x')
    expect(notices.items.at(-1)).toMatchObject({ kind: 'error', title: 'Could not export the model', code: 'forbidden-path' })
    expect(exporter.model).toEqual(model)
  })
})
