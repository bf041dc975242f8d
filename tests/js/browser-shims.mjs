// Node globals some reference libraries expect (bundled for the browser run only).
import { Buffer } from 'buffer/';
export { Buffer };
export const process = { env: {}, version: '', versions: {}, browser: true, nextTick: (f, ...a) => queueMicrotask(() => f(...a)) };
