/** Download bytes with progress callbacks; a failed request becomes an error that says what to do. */
export async function fetchWithProgress(url: string, onProgress: (loaded: number, total: number | null) => void): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch ${url}: ${e instanceof Error ? e.message : e}`);
  }
  if (!res.ok) throw new Error(res.status === 404 ? `${url} is missing (HTTP 404): the app ships it from public/; run \`npm run pretrain\` to create it` : `could not fetch ${url}: HTTP ${res.status}`);
  const total = Number(res.headers.get('content-length')) || null;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  const out = new Uint8Array(loaded);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
