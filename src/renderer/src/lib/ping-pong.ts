/**
 * Frames for a seamless loop: forward, then back without repeating either end, so a looping
 * GIF plays A → B → A with every step the same length instead of stalling on the end frames.
 */
export function pingPong<T>(frames: readonly T[]): T[] {
  return [...frames, ...frames.slice(1, -1).reverse()]
}
