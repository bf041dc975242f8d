// Fault injection: armed through POST /__sandbox/faults, consumed by the next matching requests.
//
// A fault spec: { kind, path, method?, times?, apply?, status?, retryAfter?, retryAfterMs?,
//                 delayMs?, sizeBytes?, body? }
//   path     substring of the request path (with its query string) that the fault matches
//   method   only requests with this method (any when absent); OPTIONS preflights never match
//   times    how many matching requests it hits (default 1)
//   apply    whether the request is carried out (state changed) before the fault shapes the
//            response; each kind has a default (below), which `apply` overrides
//   delayMs  wait this long before the fault acts (any kind)
//
// kind                 default apply  what the client sees
// status               no             `status` (default 503) with `{error}` (or `body`), plus
//                                     Retry-After (`retryAfter`: seconds, or an HTTP-date string)
//                                     and/or retry-after-ms (`retryAfterMs`) when given
// delay                yes            the normal response, `delayMs` (default 1000) late
// reset                no             the connection destroyed (TCP RST) before any response byte
// reset-mid-body       yes            status line, headers and half the body, then a TCP RST
// malformed-json       yes            the normal status and JSON content type, body cut in half
// html                 no             an HTML error page with `status` (default 502)
// truncated            yes            Content-Length larger than the body sent, then the
//                                     connection closed
// oversized            yes            a valid JSON body padded to `sizeBytes` (default 20 MiB);
//                                     `chunked: true` sends it without a Content-Length
// wrong-content-type   yes            the normal JSON body labelled text/plain
// lost-response        yes            nothing: the request is carried out, then the connection is
//                                     destroyed without a response (a retried link must not link
//                                     twice)

export const FAULT_KINDS = {
  status: { apply: false },
  delay: { apply: true },
  reset: { apply: false },
  'reset-mid-body': { apply: true },
  'malformed-json': { apply: true },
  html: { apply: false },
  truncated: { apply: true },
  oversized: { apply: true },
  'wrong-content-type': { apply: true },
  'lost-response': { apply: true },
};

const DEFAULT_OVERSIZED_BYTES = 20 * 1024 * 1024;
const MAX_OVERSIZED_BYTES = 256 * 1024 * 1024;
const MAX_DELAY_MS = 10 * 60 * 1000;

/** Validates and completes a fault spec; throws an Error with a message for the 400 body. */
export function normalizeFault(spec) {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new Error('a fault must be an object');
  const { kind, path } = spec;
  if (!Object.hasOwn(FAULT_KINDS, kind)) {
    throw new Error(`fault kind must be one of: ${Object.keys(FAULT_KINDS).join(', ')}`);
  }
  if (typeof path !== 'string' || path === '') throw new Error('fault path (a substring of the request path) is required');
  const times = spec.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new Error('fault times must be a positive integer');
  if (spec.method !== undefined && typeof spec.method !== 'string') throw new Error('fault method must be a string');
  const method = spec.method?.toUpperCase();
  if (method === 'OPTIONS') throw new Error('faults never apply to OPTIONS preflights');
  const delayMs = spec.delayMs ?? (kind === 'delay' ? 1000 : 0);
  if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) throw new Error('fault delayMs must be 0..600000');
  const status = spec.status ?? (kind === 'html' ? 502 : kind === 'status' ? 503 : undefined);
  if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
    throw new Error('fault status must be an HTTP status 200..599');
  }
  const { retryAfter, retryAfterMs } = spec;
  if (retryAfter !== undefined && !(typeof retryAfter === 'string' || (Number.isFinite(retryAfter) && retryAfter >= 0))) {
    throw new Error('fault retryAfter must be seconds (a number) or an HTTP-date string');
  }
  if (retryAfterMs !== undefined && !(Number.isFinite(retryAfterMs) && retryAfterMs >= 0)) {
    throw new Error('fault retryAfterMs must be a non-negative number');
  }
  const sizeBytes = spec.sizeBytes ?? DEFAULT_OVERSIZED_BYTES;
  if (!Number.isInteger(sizeBytes) || sizeBytes < 0 || sizeBytes > MAX_OVERSIZED_BYTES) {
    throw new Error(`fault sizeBytes must be an integer 0..${MAX_OVERSIZED_BYTES}`);
  }
  if (spec.apply !== undefined && typeof spec.apply !== 'boolean') throw new Error('fault apply must be a boolean');
  return {
    kind,
    path,
    method,
    times,
    remaining: times,
    apply: spec.apply ?? FAULT_KINDS[kind].apply,
    delayMs,
    status,
    retryAfter,
    retryAfterMs,
    sizeBytes,
    chunked: spec.chunked === true,
    body: spec.body,
  };
}

export function createFaultTable() {
  let armed = [];
  return {
    arm(spec) {
      const fault = normalizeFault(spec);
      armed.push(fault);
      return fault;
    },
    /** The first armed fault matching this request, with one use consumed; or null. */
    take(method, pathWithQuery) {
      if (method === 'OPTIONS') return null;
      const fault = armed.find((f) => (!f.method || f.method === method) && pathWithQuery.includes(f.path));
      if (!fault) return null;
      fault.remaining -= 1;
      if (fault.remaining <= 0) armed = armed.filter((f) => f !== fault);
      return fault;
    },
    clear() {
      armed = [];
    },
    list() {
      return armed.map((f) => ({ ...f }));
    },
  };
}

function retryHeaders(fault) {
  const headers = {};
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  return headers;
}

function destroy(socket, reset) {
  if (!socket || socket.destroyed) return;
  if (reset && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/**
 * Sends `result` ({ status, headers, body: Buffer }) shaped by `fault`. `baseHeaders` are the
 * CORS headers every response carries. Returns the status the client saw (null: none).
 */
export function deliverWithFault(req, res, fault, result, baseHeaders) {
  const socket = req.socket;
  switch (fault.kind) {
    case 'reset':
    case 'lost-response':
      destroy(socket, fault.kind === 'reset');
      return null;
    case 'status': {
      const body = Buffer.from(
        JSON.stringify(fault.body ?? { error: `Sandbox fault: HTTP ${fault.status}` }),
      );
      res.writeHead(fault.status, {
        ...baseHeaders,
        ...retryHeaders(fault),
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': body.length,
      });
      res.end(body);
      return fault.status;
    }
    case 'html': {
      const title = `${fault.status} Sandbox Gateway Error`;
      const body = Buffer.from(
        `<!DOCTYPE html>\n<html><head><title>${title}</title></head>` +
          `<body><h1>${title}</h1><p>An upstream proxy answered instead of the API.</p></body></html>\n`,
      );
      res.writeHead(fault.status, {
        ...baseHeaders,
        ...retryHeaders(fault),
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': body.length,
      });
      res.end(body);
      return fault.status;
    }
    case 'delay':
      res.writeHead(result.status, { ...baseHeaders, ...result.headers, 'Content-Length': result.body.length });
      res.end(result.body);
      return result.status;
    case 'malformed-json': {
      const text = result.body.toString('utf8');
      const cut = Buffer.from(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      res.writeHead(result.status, {
        ...baseHeaders,
        ...result.headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': cut.length,
      });
      res.end(cut);
      return result.status;
    }
    case 'wrong-content-type':
      res.writeHead(result.status, {
        ...baseHeaders,
        ...result.headers,
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': result.body.length,
      });
      res.end(result.body);
      return result.status;
    case 'oversized': {
      const text = result.body.toString('utf8');
      // Stays valid JSON (padding first, then the real fields), so only a size limit catches it.
      const rest = text.startsWith('{') && text !== '{}' ? `,${text.slice(1)}` : '}';
      const head = '{"sandboxPadding":"';
      const padding = Math.max(0, fault.sizeBytes - head.length - 1 - Buffer.byteLength(rest));
      const length = head.length + padding + 1 + Buffer.byteLength(rest);
      res.writeHead(result.status, {
        ...baseHeaders,
        ...result.headers,
        'Content-Type': 'application/json; charset=utf-8',
        // `chunked: true` leaves the length out, so only a limit applied while reading catches it.
        ...(fault.chunked ? {} : { 'Content-Length': length }),
      });
      res.write(head);
      const chunk = 'x'.repeat(64 * 1024);
      let left = padding;
      const pump = () => {
        while (left > 0) {
          const piece = left >= chunk.length ? chunk : chunk.slice(0, left);
          left -= piece.length;
          if (!res.write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end(`"${rest}`);
      };
      pump();
      return result.status;
    }
    case 'truncated':
      res.writeHead(result.status, {
        ...baseHeaders,
        ...result.headers,
        'Content-Length': result.body.length + 1024,
      });
      res.write(result.body, () => destroy(socket, false));
      return result.status;
    case 'reset-mid-body': {
      const half = result.body.subarray(0, Math.max(1, Math.floor(result.body.length / 2)));
      res.writeHead(result.status, { ...baseHeaders, ...result.headers, 'Content-Length': result.body.length });
      // Let the headers and the first half reach the client before the reset.
      res.write(half, () => setTimeout(() => destroy(socket, true), 100).unref());
      return result.status;
    }
    default:
      throw new Error(`unknown fault kind ${fault.kind}`);
  }
}
