/** Saving a file the app made (a checkpoint, an export) through the browser's download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A checkpoint's bytes as `<name>.vrft`, the name made safe for a file system. */
export function saveCheckpointFile(bytes: ArrayBuffer, name: string): void {
  saveBlob(new Blob([bytes], { type: 'application/octet-stream' }), `${name.replace(/\.vrft$/, '').replace(/[^\w.-]+/g, '-')}.vrft`);
}
