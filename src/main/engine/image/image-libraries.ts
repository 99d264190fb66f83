/**
 * The engine's two image libraries, loaded on first use rather than imported, so that a native
 * module that cannot load never stops the engine from starting. sharp (libvips) is the main one;
 * it may fail to load inside Electron on some Linux systems, where the libraries Electron ships
 * clash with its libvips. @napi-rs/image (Rust, prebuilt for every desktop platform) then decodes,
 * resizes and encodes instead, and the studio says so. `VAE_STUDIO_IMAGE_LIBRARY=napi` chooses
 * the fallback on purpose, for a system where sharp loads but then crashes.
 */
import type * as NapiImage from '@napi-rs/image'
import type Sharp from 'sharp'
import { messageOf } from '../../../shared/errors'
export type SharpModule = typeof Sharp
export type NapiImageModule = typeof NapiImage

export interface ImageLibrary {
  /** The library that decodes and encodes whole images. */
  name: 'sharp' | '@napi-rs/image'
  /** Why sharp is not in use, when it is not. */
  problem?: string
}

let sharpModule: { module: SharpModule | null; problem?: string } | undefined
let napiModule: { module: NapiImageModule | null; problem?: string } | undefined

function describe(err: unknown): string {
  return messageOf(err).split('\n')[0]
}

/** sharp, or null where it cannot load (see `imageLibrary()` for why). */
export function loadSharp(): SharpModule | null {
  if (!sharpModule) {
    if (process.env.VAE_STUDIO_IMAGE_LIBRARY === 'napi') {
      sharpModule = { module: null, problem: 'VAE_STUDIO_IMAGE_LIBRARY=napi chose @napi-rs/image' }
    } else {
      try {
        sharpModule = { module: require('sharp') as SharpModule }
      } catch (err) {
        sharpModule = { module: null, problem: `sharp could not load: ${describe(err)}` }
      }
    }
  }
  return sharpModule.module
}

/** @napi-rs/image, or null where its binary is missing too. */
export function loadNapiImage(): NapiImageModule | null {
  if (!napiModule) {
    try {
      napiModule = { module: require('@napi-rs/image') as NapiImageModule }
    } catch (err) {
      napiModule = { module: null, problem: `@napi-rs/image could not load: ${describe(err)}` }
      console.warn(`${napiModule.problem}; sharp decodes every file`)
    }
  }
  return napiModule.module
}

export function imageLibrary(): ImageLibrary {
  if (loadSharp()) return { name: 'sharp' }
  return { name: '@napi-rs/image', problem: sharpModule?.problem }
}

/** The library to use for whole images; throws only when neither loads. */
export function requireImageLibrary(): { sharp: SharpModule } | { napi: NapiImageModule } {
  const sharp = loadSharp()
  if (sharp) return { sharp }
  const napi = loadNapiImage()
  if (napi) return { napi }
  throw new Error(`no image library could load: ${sharpModule?.problem}; ${napiModule?.problem}`)
}
