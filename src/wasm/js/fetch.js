const MAX_DEPTH = 64;
// `freeForm`: the wire names of the models' free-form members, passed by the core
// (types::FREE_FORM_FIELDS): their nulls are data. Elsewhere a null member reads as absent, as in
// the official clients.
export function parseJson(text, freeForm) {
  const FREE_FORM = new Set(freeForm);
  const value = JSON.parse(text);
  const drop = (v, depth) => {
    if (v === null || typeof v !== 'object') return;
    if (depth > MAX_DEPTH) throw new RangeError('JSON nested deeper than ' + MAX_DEPTH + ' levels');
    if (Array.isArray(v)) {
      for (const item of v) drop(item, depth + 1);
      return;
    }
    for (const key of Object.keys(v)) {
      if (v[key] === null) delete v[key];
      else if (!FREE_FORM.has(key)) drop(v[key], depth + 1);
    }
  };
  drop(value, 0);
  return value;
}
// The body as text, read chunk by chunk: past `limit` bytes reading stops (the connection is
// aborted) and what arrived so far, already longer than the limit, is returned for the core to
// refuse. A chunked or compressed body is bounded too, not only one that declares its length.
export async function readBounded(response, limit, controller) {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      controller.abort();
      break;
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
