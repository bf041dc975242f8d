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
async function readBounded(response, limit, controller) {
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

// A thrown value in short: its message, plus its cause's code or message.
export function describe(error) {
  let text = typeof error?.message === 'string' ? error.message : typeof error === 'string' ? error : 'unknown error';
  const cause = error?.cause;
  const detail = cause !== null && typeof cause === 'object' ? cause.code ?? cause.message : undefined;
  if (typeof detail === 'string') text += ` (${detail})`;
  return text;
}

// The socket error codes of a failed fetch, for the core to classify: Node's fetch (undici) names
// one in `cause.code`, or one per address tried in `cause.errors[i].code`; browsers name none.
function socketCodes(error) {
  const cause = error?.cause;
  if (cause === null || typeof cause !== 'object') return [];
  const errors = Array.isArray(cause.errors) && cause.errors.length > 0 ? cause.errors : [cause];
  return errors.map((e) => (typeof e?.code === 'string' ? e.code : null));
}

// One attempt of a request ({ method, url, headers: [[name, value]], body?, credentials }), with
// its own AbortController, aborted by a timer after `timeoutMs` or by the caller's `signal`; both
// also cover reading the body. Resolves to { status, headers, body } or to { failed, message,
// codes } where `failed` is "aborted", "timeout", "invalid" (the request could not be built) or
// "network".
export async function attempt(request, timeoutMs, signal, limit) {
  if (signal?.aborted) return { failed: 'aborted' };
  const controller = new AbortController();
  let built;
  try {
    built = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      credentials: request.credentials,
      signal: controller.signal,
    });
  } catch (error) {
    // E.g. a relative baseUrl outside a page, or a header value the platform rejects.
    return { failed: 'invalid', message: describe(error) };
  }
  const abort = () => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  signal?.addEventListener('abort', abort);
  try {
    const response = await fetch(built);
    const headers = [...response.headers];
    // Not worth reading past a declared length the core refuses; aborting frees the connection.
    if (Number(response.headers.get('content-length')) > limit) {
      controller.abort();
      return { status: response.status, headers, body: '' };
    }
    return { status: response.status, headers, body: await readBounded(response, limit, controller) };
  } catch (error) {
    if (signal?.aborted) return { failed: 'aborted' };
    if (controller.signal.aborted) return { failed: 'timeout' };
    return { failed: 'network', message: describe(error), codes: socketCodes(error) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
}

// Resolves after `ms`, or as soon as `signal` aborts.
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}
