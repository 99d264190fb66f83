/**
 * The hostile-file corpus: every way a folder of "photos" can be wrong, each with what a correct
 * import does with it. Files are generated here (no committed binaries), deterministically.
 * Each case writes one entry into its own folder; `outside` is a folder beyond every case
 * folder, for links that try to leave.
 */
import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import {
  drawImage,
  elfExecutable,
  gifBomb,
  jpegBomb,
  noisyImage,
  peExecutable,
  pngBomb,
  pngSignature,
  seededBytes,
  solidImage,
  tiffBomb,
  webpBomb
} from './crafted-bytes'
import { pngChunk } from '../../../src/main/engine/export/png-text'

export type Expectation =
  /** Imported as a new row; `centre` is the expected RGB at the middle of the 32 px square. */
  | { status: 'imported'; centre?: [number, number, number]; tolerance?: number }
  /** Same bytes as the case folder's companion image. */
  | { status: 'duplicate' }
  | { status: 'skipped'; reason: RegExp }
  /** Not listed at all (hidden files). */
  | { status: 'absent' }

export interface CaseContext {
  /** A folder outside every case folder, holding `outside.png` and `outside-dir/`. */
  outside: string
  /** A file a hostile script would create if anything ran it. */
  marker: string
}

export interface HostileCase {
  id: string
  /** The entry's name in its case folder: raw bytes for names that are not UTF-8. */
  name: string | Buffer
  /** How the index lists it (relative to the case folder), when not `name` itself. */
  listedAs?: string | RegExp
  write(target: Buffer, context: CaseContext): Promise<void>
  expect: Expectation
  /** Only meaningful where permissions bind: run by an unprivileged user. */
  unprivileged?: boolean
}

const truncated = /^truncated or corrupt image: /
const notImage = /^not an image$/
const tooLarge = (w: number, h: number): RegExp => new RegExp(`^too large: ${w}×${h} pixels exceeds the limit of 100000000$`)

const bytes = (data: Buffer | Promise<Buffer> | (() => Promise<Buffer>)) => async (target: Buffer) => {
  await fs.writeFile(target, await (typeof data === 'function' ? data() : data))
}

const half = async (image: Sharp): Promise<Buffer> => {
  const whole = await image.toBuffer()
  return whole.subarray(0, whole.length >> 1)
}

const red = (): Sharp => solidImage(40, 40, [255, 0, 0])
const png = (image: Sharp) => bytes(() => image.png().toBuffer())

/** Creates the parent folders of a nested entry (names given as raw bytes). */
async function writeNested(target: Buffer, depth: number, segment: string, data: Buffer): Promise<void> {
  let dir = target
  for (let i = 0; i < depth; i++) {
    await fs.mkdir(dir)
    dir = Buffer.concat([dir, Buffer.from(`/${segment}`)])
  }
  await fs.mkdir(dir)
  await fs.writeFile(Buffer.concat([dir, Buffer.from('/face.png')]), data)
}

export const hostileCases: HostileCase[] = [
  // ── damaged images ──────────────────────────────────────────────────────────────────────────
  { id: 'truncated-jpeg', name: 'truncated.jpg', write: bytes(() => half(noisyImage(1).jpeg({ quality: 90 }))), expect: { status: 'skipped', reason: truncated } },
  { id: 'truncated-png', name: 'truncated.png', write: bytes(() => half(noisyImage(2).png())), expect: { status: 'skipped', reason: truncated } },
  { id: 'truncated-webp', name: 'truncated.webp', write: bytes(() => half(noisyImage(3).webp({ quality: 90 }))), expect: { status: 'skipped', reason: truncated } },
  { id: 'truncated-gif', name: 'truncated.gif', write: bytes(() => half(noisyImage(4).gif())), expect: { status: 'skipped', reason: truncated } },
  {
    id: 'png-header-only',
    name: 'header-only.png',
    write: bytes(async () => (await red().png().toBuffer()).subarray(0, pngSignature.length + 25)),
    expect: { status: 'skipped', reason: truncated }
  },
  { id: 'jpeg-soi-only', name: 'soi-only.jpg', write: bytes(Buffer.from([0xff, 0xd8, 0xff])), expect: { status: 'skipped', reason: /^(not an image|truncated or corrupt image: .+)$/ } },
  {
    id: 'png-bad-crc',
    name: 'bad-crc.png',
    write: bytes(async () => {
      const data = Buffer.from(await noisyImage(5).png().toBuffer())
      const idat = data.indexOf('IDAT')
      data[idat + 8] ^= 0xff // a flipped byte inside the compressed pixels: the chunk's CRC no longer fits
      return data
    }),
    expect: { status: 'skipped', reason: truncated }
  },
  { id: 'zero-bytes', name: 'empty.jpg', write: bytes(Buffer.alloc(0)), expect: { status: 'skipped', reason: /^empty file$/ } },
  { id: 'one-byte', name: 'one-byte.png', write: bytes(Buffer.from([0x89])), expect: { status: 'skipped', reason: notImage } },

  // ── not images at all, named as images ──────────────────────────────────────────────────────
  { id: 'text-as-jpeg', name: 'notes.jpg', write: bytes(Buffer.from('Dear diary, this is not a picture.\n')), expect: { status: 'skipped', reason: notImage } },
  { id: 'elf-as-png', name: 'program.png', write: bytes(elfExecutable()), expect: { status: 'skipped', reason: notImage } },
  { id: 'pe-as-webp', name: 'setup.webp', write: bytes(peExecutable()), expect: { status: 'skipped', reason: notImage } },
  {
    id: 'shell-script-as-jpeg',
    name: 'run-me.jpeg',
    write: async (target, { marker }) => {
      await fs.writeFile(target, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 })
    },
    expect: { status: 'skipped', reason: notImage }
  },
  { id: 'html-as-png', name: 'page.png', write: bytes(Buffer.from('<!doctype html><script>alert(1)</script>')), expect: { status: 'skipped', reason: notImage } },
  { id: 'random-bytes', name: 'noise.jpg', write: bytes(seededBytes(4096, 7)), expect: { status: 'skipped', reason: notImage } },
  {
    id: 'unknown-png-chunks-only',
    name: 'chunks.png',
    write: bytes(Buffer.concat([pngSignature, pngChunk('teXt', Buffer.from('no header here'))])),
    expect: { status: 'skipped', reason: truncated }
  },

  // ── decompression bombs: refused from the header, before any pixel is decoded ───────────────
  { id: 'png-bomb', name: 'bomb.png', write: bytes(pngBomb(65000, 65000)), expect: { status: 'skipped', reason: tooLarge(65000, 65000) } },
  { id: 'jpeg-bomb', name: 'bomb.jpg', write: bytes(() => jpegBomb(65000, 65000)), expect: { status: 'skipped', reason: tooLarge(65000, 65000) } },
  { id: 'webp-bomb', name: 'bomb.webp', write: bytes(webpBomb), expect: { status: 'skipped', reason: tooLarge(16383, 16383) } },
  { id: 'gif-bomb', name: 'bomb.gif', write: bytes(gifBomb), expect: { status: 'skipped', reason: tooLarge(65535, 65535) } },
  { id: 'tiff-bomb', name: 'bomb.tiff', write: bytes(tiffBomb()), expect: { status: 'skipped', reason: tooLarge(100000, 100000) } },

  // ── unusual but valid images ────────────────────────────────────────────────────────────────
  { id: 'png-named-jpeg', name: 'really-png.jpg', write: png(red()), expect: { status: 'imported', centre: [255, 0, 0] } },
  { id: 'jpeg-named-png', name: 'really-jpeg.png', write: bytes(() => solidImage(40, 40, [0, 255, 0]).jpeg({ quality: 95 }).toBuffer()), expect: { status: 'imported', centre: [0, 255, 0] } },
  { id: 'webp-named-gif', name: 'really-webp.gif', write: bytes(() => solidImage(40, 40, [0, 0, 255]).webp({ lossless: true }).toBuffer()), expect: { status: 'imported', centre: [0, 0, 255] } },
  { id: 'no-extension', name: 'IMG_0001', write: png(solidImage(40, 40, [255, 255, 0])), expect: { status: 'imported', centre: [255, 255, 0] } },
  {
    id: 'png-16-bit',
    name: 'deep.png',
    write: bytes(() => sharp(new Uint16Array(40 * 40 * 3).fill(128 * 257), { raw: { width: 40, height: 40, channels: 3 } }).toColourspace('rgb16').png().toBuffer()),
    expect: { status: 'imported', centre: [128, 128, 128] }
  },
  {
    id: 'png-16-bit-gray-alpha',
    name: 'deep-gray-alpha.png',
    write: bytes(() =>
      sharp(new Uint16Array(40 * 40 * 2).map((_, i) => (i % 2 === 0 ? 200 * 257 : 65535)), { raw: { width: 40, height: 40, channels: 2 } })
        .toColourspace('grey16')
        .png()
        .toBuffer()
    ),
    expect: { status: 'imported', centre: [200, 200, 200] }
  },
  { id: 'cmyk-jpeg', name: 'print.jpg', write: bytes(() => red().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer()), expect: { status: 'imported', centre: [255, 0, 0], tolerance: 40 } },
  {
    id: 'animated-gif',
    name: 'anim.gif',
    write: bytes(async () => sharp([await solidImage(40, 40, [255, 255, 255]).png().toBuffer(), await solidImage(40, 40, [0, 0, 0]).png().toBuffer()], { join: { animated: true } }).gif().toBuffer()),
    expect: { status: 'imported', centre: [255, 255, 255] }
  },
  {
    id: 'animated-webp',
    name: 'anim.webp',
    write: bytes(async () =>
      sharp([await solidImage(40, 40, [0, 200, 200]).png().toBuffer(), await solidImage(40, 40, [200, 0, 0]).png().toBuffer()], { join: { animated: true } })
        .webp({ lossless: true })
        .toBuffer()
    ),
    expect: { status: 'imported', centre: [0, 200, 200] }
  },
  { id: 'one-pixel', name: '1x1.png', write: png(solidImage(1, 1, [10, 20, 250])), expect: { status: 'imported', centre: [10, 20, 250] } },
  { id: 'thin-1x4000', name: 'thin.png', write: png(solidImage(1, 4000, [250, 120, 0])), expect: { status: 'imported', centre: [250, 120, 0] } },
  { id: 'flat-4000x1', name: 'flat.png', write: png(solidImage(4000, 1, [120, 0, 250])), expect: { status: 'imported', centre: [120, 0, 250] } },
  {
    id: 'alpha',
    name: 'alpha.png',
    // Fully transparent white: flattened onto black, never onto the white hidden under the alpha.
    write: png(drawImage(40, 40, 4, () => [255, 255, 255, 0])),
    expect: { status: 'imported', centre: [0, 0, 0] }
  },
  {
    id: 'palette-transparency',
    name: 'palette.png',
    write: bytes(() => drawImage(40, 40, 4, (x) => (x < 20 ? [0, 255, 0, 255] : [0, 255, 0, 0])).png({ palette: true }).toBuffer()),
    expect: { status: 'imported' }
  },
  { id: 'gray-alpha', name: 'gray-alpha.png', write: png(drawImage(40, 40, 2, () => [90, 255])), expect: { status: 'imported', centre: [90, 90, 90] } },
  {
    id: 'exif-rotated',
    name: 'rotated.jpg',
    write: bytes(() => solidImage(48, 32, [200, 200, 40]).jpeg({ quality: 95 }).withMetadata({ orientation: 8 }).toBuffer()),
    expect: { status: 'imported', centre: [200, 200, 40] }
  },
  {
    id: 'jpeg-trailing-garbage',
    name: 'trailing.jpg',
    write: bytes(async () => Buffer.concat([await solidImage(40, 40, [40, 90, 160]).jpeg({ quality: 95 }).toBuffer(), seededBytes(1024, 9)])),
    expect: { status: 'imported', centre: [40, 90, 160] }
  },
  { id: 'progressive-jpeg', name: 'progressive.jpg', write: bytes(() => solidImage(40, 40, [160, 40, 90]).jpeg({ progressive: true }).toBuffer()), expect: { status: 'imported', centre: [160, 40, 90] } },
  { id: 'interlaced-png', name: 'interlaced.png', write: bytes(() => solidImage(40, 40, [90, 160, 40]).png({ progressive: true }).toBuffer()), expect: { status: 'imported', centre: [90, 160, 40] } },

  // ── names ───────────────────────────────────────────────────────────────────────────────────
  { id: 'name-255-bytes', name: `${'n'.repeat(251)}.png`, write: png(solidImage(8, 8, [1, 2, 3])), expect: { status: 'imported' } },
  { id: 'name-254-bytes-multibyte', name: `${'é'.repeat(125)}.png`, write: png(solidImage(8, 8, [3, 2, 1])), expect: { status: 'imported' } },
  {
    id: 'name-latin1-bytes',
    name: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x6e, 0x67]), // "café.png" in Latin-1: not UTF-8
    listedAs: 'caf\\xE9.png',
    write: png(solidImage(8, 8, [7, 7, 70])),
    expect: { status: 'imported' }
  },
  {
    id: 'folder-name-invalid-utf8',
    name: Buffer.from([0xff, 0xfe, 0x2d, 0x64]),
    listedAs: '\\xFF\\xFE-d/face.png',
    write: async (target) => writeNested(target, 0, '', await solidImage(8, 8, [70, 7, 7]).png().toBuffer()),
    expect: { status: 'imported' }
  },
  { id: 'name-with-newline', name: 'line\nbreak.png', write: png(solidImage(8, 8, [9, 90, 9])), expect: { status: 'imported' } },
  {
    id: 'deep-nesting',
    name: 'nest',
    listedAs: `nest${'/d'.repeat(40)}/face.png`,
    write: async (target) => writeNested(target, 40, 'd', await solidImage(8, 8, [33, 66, 99]).png().toBuffer()),
    expect: { status: 'imported' }
  },
  {
    id: 'path-beyond-path-max',
    name: 'long',
    listedAs: /^long(\/l{250})+$/,
    write: async (target) => {
      // 18 folders of 250 bytes: deeper than PATH_MAX (4096), so only a walk by relative paths
      // (chdir) can create it; a shell's cd tracks the logical path and gives up.
      const script = `const fs = require('fs'); process.chdir(process.argv[1]); for (let i = 0; i < 18; i++) { fs.mkdirSync(process.argv[2]); process.chdir(process.argv[2]) } fs.writeFileSync('face.png', '')`
      await fs.mkdir(target)
      execFileSync(process.execPath, ['-e', script, target.toString(), 'l'.repeat(250)])
    },
    expect: { status: 'skipped', reason: /^unreadable: .*(ENAMETOOLONG|name too long)/ }
  },
  { id: 'hidden-file', name: '.secret.png', write: png(red()), expect: { status: 'absent' } },

  // ── links and special files ─────────────────────────────────────────────────────────────────
  {
    id: 'symlink-loop',
    name: 'loop-a.png',
    write: async (target) => {
      const dir = path.dirname(target.toString())
      await fs.symlink('.loop-b.png', target)
      await fs.symlink('loop-a.png', path.join(dir, '.loop-b.png'))
    },
    expect: { status: 'skipped', reason: /^symlink loop$/ }
  },
  { id: 'symlink-folder-loop', name: 'again', write: async (target) => fs.symlink('.', target), expect: { status: 'skipped', reason: /^symlink loop$/ } },
  { id: 'symlink-file-outside', name: 'outside.png', write: async (target, { outside }) => fs.symlink(path.join(outside, 'outside.png'), target), expect: { status: 'skipped', reason: /^symlink outside the folder$/ } },
  { id: 'symlink-folder-outside', name: 'outside-dir', write: async (target, { outside }) => fs.symlink(path.join(outside, 'outside-dir'), target), expect: { status: 'skipped', reason: /^symlink outside the folder$/ } },
  { id: 'symlink-relative-escape', name: 'escape.png', write: async (target) => fs.symlink('../../outside/outside.png', target), expect: { status: 'skipped', reason: /^symlink outside the folder$/ } },
  { id: 'symlink-to-system-file', name: 'passwd.png', write: async (target) => fs.symlink('/etc/passwd', target), expect: { status: 'skipped', reason: /^symlink outside the folder$/ } },
  { id: 'symlink-dangling', name: 'dangling.png', write: async (target) => fs.symlink('nowhere.png', target), expect: { status: 'skipped', reason: /^unreadable: broken symlink/ } },
  // Sorted after ok.png, so the copy is the link and the row is ok.png's.
  { id: 'symlink-inside', name: 'same-as-ok.png', write: async (target) => fs.symlink('ok.png', target), expect: { status: 'duplicate' } },
  {
    id: 'fifo',
    name: 'pipe.png',
    // Reading a FIFO blocks until a writer comes: an import that opened it would hang forever.
    write: async (target) => void execFileSync('mkfifo', [target.toString()]),
    expect: { status: 'skipped', reason: /^not an image: not a regular file$/ }
  },
  { id: 'device-link', name: 'zero.png', write: async (target) => fs.symlink('/dev/zero', target), expect: { status: 'skipped', reason: /^symlink outside the folder$/ } },
  {
    id: 'unreadable-file',
    name: 'locked.png',
    write: async (target) => {
      await fs.writeFile(target, await red().png().toBuffer())
      await fs.chmod(target, 0)
    },
    expect: { status: 'skipped', reason: /^unreadable: EACCES/ },
    unprivileged: true
  },
  {
    id: 'unreadable-folder',
    name: 'private',
    write: async (target) => {
      await fs.mkdir(target)
      await fs.writeFile(path.join(target.toString(), 'face.png'), await red().png().toBuffer())
      await fs.chmod(target, 0)
    },
    expect: { status: 'skipped', reason: /^unreadable: EACCES/ },
    unprivileged: true
  }
]
