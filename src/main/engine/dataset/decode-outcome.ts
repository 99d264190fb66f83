/** One source file as a square training image, or the reason (in the user's words) it is not one. */
export type DecodeOutcome = { pixels: Uint8Array } | { reason: string }
