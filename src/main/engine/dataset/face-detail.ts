/**
 * One dataset image seen in its source photo, for reviewing what face finding did: the photo
 * (upright, reduced for the screen), every face found in it with the row it became (or why it was
 * left out), and what the nets said of this one. The photo is read again from the imported folder.
 */
import { readFile } from 'node:fs/promises'
import * as path from 'node:path'
import type { FaceDetail } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import { decodePhoto } from '../faces/decode-photo'
import { missingImage } from './image-numbers'
import type { OpenedDataset } from './open-dataset'

/** The reduced photo's longer side. */
const previewSide = 640

export async function faceDetail(data: OpenedDataset, row: number): Promise<FaceDetail> {
  const entry = data.files.find((e) => e.status === 'imported' && e.index === row)
  if (!entry) throw missingImage(row, data.count)
  if (data.source === 'demo') throw new StudioError('not-found', 'the demo faces were drawn by the studio: they have no source photo')
  const file = path.join(data.source, entry.file)
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    throw new StudioError(
      'not-found',
      `the source photo ${file} cannot be read any more (${(err as NodeJS.ErrnoException).code ?? 'error'})`
    )
  }
  const decoded = await decodePhoto(bytes, previewSide)
  if ('reason' in decoded) throw new StudioError('bad-data', `the source photo ${file} cannot be shown: ${decoded.reason}`)
  const scale = decoded.fullWidth / decoded.width
  const sameFile = data.files.filter((e) => e.file === entry.file && e.face)
  return {
    file: entry.file,
    photo: { width: decoded.width, height: decoded.height, channels: 3, pixels: decoded.pixels },
    scale,
    faces: sameFile.map((e) => ({
      box: { x: e.face!.box.x / scale, y: e.face!.box.y / scale, width: e.face!.box.width / scale, height: e.face!.box.height / scale },
      row: e.status === 'imported' ? (e.index ?? null) : null,
      n: e.face!.n + 1,
      score: e.face!.score,
      ...(e.status === 'imported' ? {} : { reason: e.reason ?? 'not imported' })
    })),
    labels: entry.face?.expressions
      ? {
          age: entry.face.age ?? 0,
          gender: entry.face.gender ?? 'male',
          genderProbability: entry.face.genderProbability ?? 0,
          expressions: entry.face.expressions
        }
      : null
  }
}
