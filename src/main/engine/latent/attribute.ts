/**
 * Attribute vectors: the direction in latent space from images without a property to images with
 * it (difference of group means, as in White 2016 and Larsen et al. 2016). Adding it to a code adds
 * the property; subtracting removes it; `amount` scales how far to go.
 */
import { commonLength, meanCode } from './vectors'

export function attributeVector(withCodes: readonly (readonly number[])[], withoutCodes: readonly (readonly number[])[]): number[] {
  if (withCodes.length === 0 || withoutCodes.length === 0) {
    throw new Error('an attribute vector needs at least one image with the attribute and one without')
  }
  commonLength([...withCodes, ...withoutCodes], 'attribute vector')
  const on = meanCode(withCodes)
  const off = meanCode(withoutCodes)
  return on.map((v, j) => v - off[j])
}

export function applyAttribute(code: readonly number[], vector: readonly number[], amount: number): number[] {
  commonLength([code, vector], 'apply attribute')
  return code.map((v, j) => v + amount * vector[j])
}
