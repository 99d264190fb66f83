/**
 * What can be read from a damaged JSON file whose payload is an array of flat-ish objects
 * (`{ "points": [ {…}, {…} ] }`): each `{…}` of that array, found by bracket matching that
 * respects strings, parsed on its own. One missing comma or a torn tail then costs the object it
 * is in, not the whole history.
 */

/** Every object directly inside the array that follows `"<key>"`, each parsed alone (those that do not parse are counted). */
export function salvageArrayObjects(text: string, key: string): { objects: unknown[]; unreadable: number } {
  const objects: unknown[] = []
  let unreadable = 0
  const keyAt = text.indexOf(`"${key}"`)
  const open = keyAt < 0 ? -1 : text.indexOf('[', keyAt)
  if (open < 0) return { objects, unreadable }
  let depth = 0
  let start = -1
  let inString = false
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') inString = true
    else if (c === '{') {
      if (depth === 0) start = i
      depth++
    } else if (c === '}' && depth > 0) {
      depth--
      if (depth === 0) {
        try {
          objects.push(JSON.parse(text.slice(start, i + 1)))
        } catch {
          unreadable++
        }
      }
    } else if (c === ']' && depth === 0) break
  }
  // An object cut off by the end of the file.
  if (depth > 0) unreadable++
  return { objects, unreadable }
}
