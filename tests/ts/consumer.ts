// A TypeScript dapp's view of the package: this file must compile under tsc --strict.
import { errorCodes, isWalletLinkerError, version } from 'wallet-linker';
import type { ErrorCode, WalletLinkerError } from 'wallet-linker';

const codes: ErrorCode[] = errorCodes();
const v: string = version();

function describe(e: unknown): string {
  if (isWalletLinkerError(e)) {
    const err: WalletLinkerError = e;
    switch (err.code) {
      case 'HTTP_ERROR':
        return `${err.status ?? 0} ${err.apiCode ?? ''}`;
      case 'EXPIRED':
        return `expired at ${err.expected ?? ''}`;
      default:
        return err.code;
    }
  }
  return String(e);
}

// @ts-expect-error: not a code of the union
const wrong: ErrorCode = 'NOT_A_CODE';

export { codes, v, describe, wrong };
