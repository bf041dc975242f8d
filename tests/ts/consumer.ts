// A TypeScript dapp's view of the package: this file must compile under tsc --strict.
import { errorCodes, isWalletLinkerError, version, WalletLinkerError } from 'wallet-linker';
import type { ErrorCode, LinkStep } from 'wallet-linker';
import { WalletLinkerError as ServerError, isWalletLinkerError as isServerError } from 'wallet-linker/server';

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

// The class: `instanceof` narrows, `step` is a LinkStep, and a caller can make one.
function stepOf(e: unknown): LinkStep | undefined {
  if (e instanceof WalletLinkerError) {
    const code: ErrorCode = e.code;
    const name: 'WalletLinkerError' = e.name;
    void code, name;
    return e.step;
  }
  return undefined;
}
const made = new WalletLinkerError('USER_REJECTED', 'refused', { step: 'sign', field: 'signature', cause: new Error('x') });
const sameClass: ServerError = made;
const checked: boolean = isServerError(made) && made instanceof ServerError;
// @ts-expect-error: not a step of linkWallet
made.step = 'handshake';
// @ts-expect-error: not a code of the union
new WalletLinkerError('NOT_A_CODE', 'x');
// @ts-expect-error: details are typed too
new WalletLinkerError('HTTP_ERROR', 'x', { status: '503' });

export { codes, v, describe, wrong, stepOf, made, sameClass, checked };
