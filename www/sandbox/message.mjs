// A small, deliberately independent parser for the sign-in messages the sandbox checks: EIP-4361
// (Sign-In with Ethereum), Sign-In with Solana (the same shape with "Solana account"), and Dynamic's
// template (EIP-4361-like, with "Request ID: {environmentId}" and no "Chain ID" line for Solana and
// Sui; for Sui it says "Sui account").
//
//   {domain} wants you to sign in with your {Ethereum|Solana|Sui} account:
//   {address}
//
//   {statement, optional, may be absent with its blank line}
//
//   URI: ...            Version: 1          Chain ID: ...       Nonce: ...
//   Issued At: ...      Expiration Time: .. Not Before: ...     Request ID: ...
//   Resources:
//   - ...
//
// It is lenient on layout (blank lines, field order) but strict on content: one header line, no
// duplicated field, no unknown line after the fields start, RFC 3339 times, Version 1.

const MAX_MESSAGE_LENGTH = 16 * 1024;

const HEADER = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\S+) wants you to sign in with your (Ethereum|Solana|Sui) account:$/;
const FIELD = /^(URI|Version|Chain ID|Nonce|Issued At|Expiration Time|Not Before|Request ID): (.*)$/;
const FIELD_NAMES = {
  URI: 'uri',
  Version: 'version',
  'Chain ID': 'chainId',
  Nonce: 'nonce',
  'Issued At': 'issuedAt',
  'Expiration Time': 'expirationTime',
  'Not Before': 'notBefore',
  'Request ID': 'requestId',
};
const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** Parses an RFC 3339 timestamp to epoch ms, or returns null. */
export function parseRfc3339(text) {
  if (typeof text !== 'string' || !RFC3339.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Parses a sign-in message. Returns { ok: true, message } or { ok: false, error }.
 * message: { scheme?, domain, account: 'Ethereum'|'Solana'|'Sui', address, statement?, uri?, version?,
 *            chainId?, nonce?, issuedAt?, expirationTime?, notBefore?, requestId?, resources? }
 */
export function parseSignInMessage(text) {
  if (typeof text !== 'string') return { ok: false, error: 'message must be a string' };
  if (text.length > MAX_MESSAGE_LENGTH) return { ok: false, error: 'message is too long' };
  const lines = text.split('\n');
  const header = HEADER.exec(lines[0] ?? '');
  if (!header) return { ok: false, error: 'first line is not "{domain} wants you to sign in with your ... account:"' };
  const address = lines[1] ?? '';
  if (!/^\S+$/.test(address)) return { ok: false, error: 'second line must be the account address' };

  const message = { domain: header[2], account: header[3], address };
  if (header[1]) message.scheme = header[1];

  let i = 2;
  const statement = [];
  // Statement: every line before the first field line (blank lines around it are layout).
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (FIELD.test(line) || line === 'Resources:') break;
    statement.push(line);
  }
  const statementText = statement.join('\n').replace(/^\n+|\n+$/g, '');
  if (statementText) message.statement = statementText;

  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') {
      // Only trailing blank lines are allowed once the fields have started.
      if (lines.slice(i).every((l) => l === '')) break;
      return { ok: false, error: `unexpected blank line ${i + 1}` };
    }
    if (line === 'Resources:') {
      if (message.resources) return { ok: false, error: 'duplicate Resources' };
      message.resources = [];
      while (i + 1 < lines.length && lines[i + 1].startsWith('- ')) {
        message.resources.push(lines[i + 1].slice(2));
        i++;
      }
      continue;
    }
    const field = FIELD.exec(line);
    if (!field) return { ok: false, error: `unexpected line ${i + 1}: ${JSON.stringify(line.slice(0, 80))}` };
    const name = FIELD_NAMES[field[1]];
    if (name in message) return { ok: false, error: `duplicate ${field[1]}` };
    message[name] = field[2];
  }

  if (message.version !== undefined && message.version !== '1') {
    return { ok: false, error: `unsupported Version ${JSON.stringify(message.version)}` };
  }
  for (const [label, name] of [['Issued At', 'issuedAt'], ['Expiration Time', 'expirationTime'], ['Not Before', 'notBefore']]) {
    if (message[name] !== undefined && parseRfc3339(message[name]) === null) {
      return { ok: false, error: `${label} is not an RFC 3339 timestamp` };
    }
  }
  if (message.chainId !== undefined && message.account === 'Ethereum' && !/^[1-9]\d*$/.test(message.chainId)) {
    return { ok: false, error: 'Chain ID must be a positive integer' };
  }
  return { ok: true, message };
}
