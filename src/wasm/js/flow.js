// linkWallet's waits and defaults from the page.
import { WalletLinkerError } from './error.js';

const aborted = () => new WalletLinkerError('ABORTED', 'linkWallet was aborted by its signal');

// `value` (a promise or a plain value), rejected with ABORTED as soon as `signal` fires.
export function raceAbort(value, signal) {
  if (!signal) return Promise.resolve(value);
  if (signal.aborted) return Promise.reject(aborted());
  let onAbort;
  const abort = new Promise((_, reject) => {
    onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort);
  });
  return Promise.race([value, abort]).finally(() => signal.removeEventListener('abort', onAbort));
}

// `performance.now()` where there is one, else `Date.now()`.
export function preciseNow() {
  return typeof globalThis.performance?.now === 'function' ? performance.now() : Date.now();
}

// `location.host`, or `location.origin + location.pathname`, for a default.
export function fromLocation(parts) {
  const location = globalThis.location;
  const values = parts.map((part) => location?.[part]);
  return values.every((v) => typeof v === 'string') ? values.join('') : undefined;
}
