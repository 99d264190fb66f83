import { messageOf } from '../../../shared/errors'

/**
 * Turns a thrown value into the words shown to the user in a skip reason. libvips repeats the
 * same line once per failed read attempt and splits "what: why" over two lines; the user needs
 * each line once, on one line. Here, beside the image libraries, because both the dataset import
 * and the face finder report their failures this way.
 */
export function errMessage(err: unknown): string {
  const text = messageOf(err)
  const lines = [
    ...new Set(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
    )
  ]
  return lines.reduce((joined, line) => (joined === '' ? line : `${joined}${joined.endsWith(':') ? ' ' : '; '}${line}`), '')
}
