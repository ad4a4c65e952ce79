/**
 * Named float32 arrays with a JSON header in one byte array (optimizer state, run state).
 *   "VRFTBNDL" | uint32 LE header length | header JSON {meta, tensors: [{name, shape, offset}]} | pad | data
 */
const MAGIC = 'VRFTBNDL';

export interface Bundle {
  meta: Record<string, unknown>;
  arrays: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
}

export function encodeBundle(b: Bundle): Uint8Array {
  const tensors: { name: string; shape: number[]; offset: number }[] = [];
  let offset = 0;
  for (const [name, data] of b.arrays) {
    tensors.push({ name, shape: b.shapes.get(name) ?? [data.length], offset });
    offset += data.length;
  }
  const header = new TextEncoder().encode(JSON.stringify({ meta: b.meta, tensors }));
  const start = Math.ceil((12 + header.length) / 4) * 4;
  const out = new Uint8Array(start + offset * 4);
  out.set(new TextEncoder().encode(MAGIC));
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  const f = new Float32Array(out.buffer, start, offset);
  let i = 0;
  for (const data of b.arrays.values()) {
    f.set(data, i);
    i += data.length;
  }
  return out;
}

export function decodeBundle(bytes: Uint8Array): Bundle {
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new Error('not a tensor bundle (bad magic bytes)');
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as { meta: Record<string, unknown>; tensors: { name: string; shape: number[]; offset: number }[] };
  const start = Math.ceil((12 + len) / 4) * 4;
  const copy = bytes.slice(start); // aligned copy
  const all = new Float32Array(copy.buffer, 0, copy.length / 4);
  const arrays = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  for (const t of header.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.offset + n > all.length) throw new Error(`bundle truncated at ${t.name}`);
    arrays.set(t.name, all.slice(t.offset, t.offset + n));
    shapes.set(t.name, t.shape);
  }
  return { meta: header.meta, arrays, shapes };
}
