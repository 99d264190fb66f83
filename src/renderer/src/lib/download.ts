/** Saves bytes as a file through the browser's download (serve mode has no native save dialog). */
export function downloadBytes(bytes: Uint8Array, fileName: string, mime: string): void {
  const blob = new Blob([new Uint8Array(bytes)], { type: mime })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
  // Revoking right away can cancel the download in some browsers; a few seconds is always enough.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
