const made = new WeakSet();
const DETAILS = ['field', 'expected', 'received', 'apiCode', 'body', 'step', 'status'];
export class WalletLinkerError extends Error {
  constructor(code, message, details) {
    super(message, details?.cause === undefined ? undefined : { cause: details.cause });
    made.add(this);
    this.code = code;
    for (const key of DETAILS) if (details?.[key] !== undefined) this[key] = details[key];
  }
}
Object.defineProperty(WalletLinkerError.prototype, 'name', { value: 'WalletLinkerError', writable: true, configurable: true });
export function isWalletLinkerError(value) {
  return made.has(value);
}
