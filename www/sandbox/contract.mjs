// Request/response validation driven by the official generated clients, so the sandbox speaks the
// real contract instead of a hand-copied one:
//   - Dynamic (@dynamic-labs/sdk-api-core, @dynamic-labs/sdk-api): for each model, the field list,
//     JSON key names and which fields are required come from the model's own `XFromJSONTyped`
//     function (fields read without an `exists(json, ...)` guard are required); the field types come
//     from the model's `.d.ts`; enum values come from the exported enum objects (e.g. `ChainEnum`).
//   - Snag (@snagsolutions/sdk ships types only): `UserConnectParams` and its nested interfaces are
//     read from `resources/users/users.d.ts` (optional marker, string-literal unions as enums).
// Unknown extra keys are ignored (as the generated clients do); nulls count as absent for optional
// fields (the generated `exists` helper treats null like undefined).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DYNAMIC_SDK = '@dynamic-labs/sdk-api-core';
export const DYNAMIC_ADMIN = '@dynamic-labs/sdk-api';
export const SNAG = '@snagsolutions/sdk';

/** A request body that breaks the model: becomes a 400 `{ error }`. */
export class ContractError extends Error {
  constructor(path, problem) {
    super(`${path} ${problem}`);
    this.name = 'ContractError';
    this.path = path;
  }
}

const packageDirs = new Map();
function packageDir(pkg) {
  let dir = packageDirs.get(pkg);
  if (!dir) {
    dir = dirname(fileURLToPath(import.meta.resolve(pkg)));
    packageDirs.set(pkg, dir);
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------
// A small reader of the generated `.d.ts` files: interfaces (with nested namespaces, as Snag's
// types use), `export declare enum`, and member lines `name?: Type;`. Multi-line inline object
// types are read as "object".

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Parses declarations into Map<qualifiedName, {kind:'interface', members} | {kind:'enum', values}>. */
export function parseDeclarations(text) {
  const lines = stripComments(text).split('\n');
  const declarations = new Map();
  const scope = []; // stack of { kind: 'namespace'|'interface'|'enum'|'skip', name, members|values }
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    const top = scope[scope.length - 1];
    if (top && top.kind === 'skip') {
      top.depth += count(line, '{') - count(line, '}');
      if (top.depth <= 0) {
        scope.pop();
        const owner = scope[scope.length - 1];
        if (owner && owner.kind === 'interface' && owner.pending) {
          owner.members.push({ ...owner.pending, type: 'object' });
          owner.pending = null;
        }
      }
      continue;
    }
    let match;
    if ((match = /^(?:export\s+)?(?:declare\s+)?namespace\s+([\w.]+)\s*\{$/.exec(line))) {
      scope.push({ kind: 'namespace', name: match[1] });
      continue;
    }
    if ((match = /^(?:export\s+)?(?:declare\s+)?interface\s+(\w+)(?:<[^>]*>)?(?:\s+extends\s+[^{]+)?\s*\{\s*(\}?)$/.exec(line))) {
      const entry = { kind: 'interface', name: match[1], members: [], pending: null };
      declarations.set(qualify(scope, match[1]), { kind: 'interface', members: entry.members });
      if (!match[2]) scope.push(entry);
      continue;
    }
    if ((match = /^(?:export\s+)?(?:declare\s+)?(?:const\s+)?enum\s+(\w+)\s*\{$/.exec(line))) {
      const entry = { kind: 'enum', name: match[1], values: [] };
      declarations.set(qualify(scope, match[1]), { kind: 'enum', values: entry.values });
      scope.push(entry);
      continue;
    }
    if (line.startsWith('}')) {
      scope.pop();
      continue;
    }
    if (!top) continue;
    if (top.kind === 'enum') {
      if ((match = /^\w+\s*=\s*(['"])(.*)\1,?$/.exec(line))) top.values.push(match[2]);
      continue;
    }
    if (top.kind !== 'interface') {
      // Other declarations inside a namespace (export { ... }, type aliases): skip their blocks.
      const depth = count(line, '{') - count(line, '}');
      if (depth > 0) scope.push({ kind: 'skip', depth });
      continue;
    }
    if ((match = /^(?:readonly\s+)?['"]?([\w$]+)['"]?(\?)?:\s*(.*?);?$/.exec(line))) {
      const member = { name: match[1], optional: Boolean(match[2]) };
      const type = match[3];
      const depth = count(type, '{') - count(type, '}');
      if (depth > 0) {
        top.pending = member;
        scope.push({ kind: 'skip', depth });
      } else {
        top.members.push({ ...member, type: type.trim() });
      }
    }
  }
  return declarations;
}

function count(text, ch) {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

function qualify(scope, name) {
  const names = scope.filter((s) => s.kind === 'namespace' || s.kind === 'interface').map((s) => s.name);
  return [...names, name].join('.');
}

/** Splits a TS type at top-level `|`. */
function splitUnion(type) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let current = '';
  for (const c of type) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '<' || c === '{' || c === '(') {
      depth++;
    } else if (c === '>' || c === '}' || c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Type descriptors: { kind: 'string'|'number'|'boolean'|'object'|'any'|'date'|'null' }
// | { kind: 'literal', values } | { kind: 'enum', name, values } | { kind: 'array', of }
// | { kind: 'union', of } | { kind: 'model', name, fields: [{ prop, key, required, type }] }

const PRIMITIVES = new Set(['string', 'number', 'boolean', 'object', 'any', 'null', 'unknown']);

function describeType(type, resolveRef) {
  const parts = splitUnion(type);
  if (parts.length > 1) {
    if (parts.every((p) => /^(['"]).*\1$/.test(p))) {
      return { kind: 'literal', values: parts.map((p) => p.slice(1, -1)) };
    }
    return { kind: 'union', of: parts.map((p) => describeType(p, resolveRef)) };
  }
  const t = parts[0] ?? 'any';
  let m;
  if (/^(['"]).*\1$/.test(t)) return { kind: 'literal', values: [t.slice(1, -1)] };
  if (PRIMITIVES.has(t)) return { kind: t === 'unknown' ? 'any' : t };
  if (t === 'Date') return { kind: 'date' };
  if (t.startsWith('{')) return { kind: 'object' };
  if ((m = /^Array<(.+)>$/.exec(t)) || (m = /^(.+)\[\]$/.exec(t))) {
    return { kind: 'array', of: describeType(m[1], resolveRef) };
  }
  if (/^[\w.]+$/.test(t)) return resolveRef(t);
  return { kind: 'any' };
}

// ---------------------------------------------------------------------------------------------
// Dynamic models: one `.d.ts` + one `.js` per model under src/models/.

const dynamicModels = new Map(); // `${pkg}:${name}` -> descriptor (filled in place, so cycles work)

/**
 * Loads (once) the descriptor of a Dynamic model or enum from an official package, following the
 * models it references. Returns { kind: 'model'|'enum', ... } with the official module attached.
 */
export async function loadDynamicModel(pkg, name) {
  const key = `${pkg}:${name}`;
  const known = dynamicModels.get(key);
  if (known) return known;
  const descriptor = { kind: 'pending', name, pkg };
  dynamicModels.set(key, descriptor);
  const module = await import(`${pkg}/models/${name}`);
  const declarations = parseDeclarations(readFileSync(join(packageDir(pkg), 'models', `${name}.d.ts`), 'utf8'));
  const declaration = declarations.get(name);
  descriptor.module = module;
  if (!declaration) {
    // Type aliases / oneOf wrappers: accept any JSON value of an object shape.
    descriptor.kind = 'any';
    return descriptor;
  }
  if (declaration.kind === 'enum') {
    const enumObject = module[name];
    descriptor.kind = 'enum';
    descriptor.values = enumObject ? Object.values(enumObject) : declaration.values;
    return descriptor;
  }
  const fromJson = module[`${name}FromJSONTyped`];
  const fieldsFromJson = fromJson ? readFromJsonFields(fromJson) : new Map();
  const refs = [];
  const fields = declaration.members.map((member) => {
    const official = fieldsFromJson.get(member.name);
    const type = describeType(member.type, (ref) => {
      const placeholder = { kind: 'ref', name: ref };
      refs.push(placeholder);
      return placeholder;
    });
    return {
      prop: member.name,
      key: official?.key ?? member.name,
      required: official ? official.required : !member.optional,
      type,
    };
  });
  for (const placeholder of refs) {
    const target = await loadDynamicModel(pkg, placeholder.name);
    placeholder.target = target;
  }
  descriptor.kind = 'model';
  descriptor.fields = fields;
  descriptor.fromJSON = module[`${name}FromJSON`];
  descriptor.toJSON = module[`${name}ToJSON`];
  return descriptor;
}

/** Reads `'prop': ... json['key'] ...` lines of a generated FromJSONTyped function. */
function readFromJsonFields(fn) {
  const fields = new Map();
  for (const line of fn.toString().split('\n')) {
    const m = /^\s*'([\w$]+)':\s*(.*?),?\s*$/.exec(line);
    if (!m) continue;
    const key = /json\['([^']+)'\]/.exec(m[2]);
    if (!key) continue;
    fields.set(m[1], { key: key[1], required: !m[2].includes('!exists(json') });
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Snag: every interface in resources/users/users.d.ts, resolved within its namespace scope.

let snagDeclarations = null;
function snagDeclarationMap() {
  if (!snagDeclarations) {
    const file = join(packageDir(SNAG), 'resources', 'users', 'users.d.ts');
    snagDeclarations = parseDeclarations(readFileSync(file, 'utf8'));
  }
  return snagDeclarations;
}

const snagModels = new Map();
/** Descriptor of a Snag request type, e.g. loadSnagModel('UserConnectParams'). */
export function loadSnagModel(qualifiedName) {
  const known = snagModels.get(qualifiedName);
  if (known) return known;
  const declarations = snagDeclarationMap();
  const declaration = declarations.get(qualifiedName);
  if (!declaration) throw new Error(`${SNAG} has no declaration ${qualifiedName}`);
  const descriptor = { kind: 'model', name: qualifiedName, fields: [] };
  snagModels.set(qualifiedName, descriptor);
  const scopeParts = qualifiedName.split('.');
  for (const member of declaration.members) {
    const type = describeType(member.type, (ref) => {
      // Resolve like TypeScript: innermost enclosing namespace first (`Proof.Domain` inside
      // `TonVerification`), then outwards.
      for (let i = scopeParts.length; i >= 0; i--) {
        const candidate = [...scopeParts.slice(0, i), ref].join('.');
        if (declarations.has(candidate)) {
          const target = declarations.get(candidate);
          return target.kind === 'enum'
            ? { kind: 'enum', name: candidate, values: target.values }
            : { kind: 'ref', name: candidate, target: loadSnagModel(candidate) };
        }
      }
      return { kind: 'any' };
    });
    descriptor.fields.push({ prop: member.name, key: member.name, required: !member.optional, type });
  }
  return descriptor;
}

// ---------------------------------------------------------------------------------------------
// Validation.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Throws ContractError when `value` does not fit the descriptor. */
export function check(descriptor, value, path) {
  const d = descriptor.kind === 'ref' ? descriptor.target : descriptor;
  switch (d.kind) {
    case 'any':
      return;
    case 'null':
      if (value !== null) throw new ContractError(path, `must be null, got ${describe(value)}`);
      return;
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof value !== d.kind || (d.kind === 'number' && !Number.isFinite(value))) {
        throw new ContractError(path, `must be a ${d.kind}, got ${describe(value)}`);
      }
      return;
    case 'object':
      if (!isPlainObject(value)) throw new ContractError(path, `must be an object, got ${describe(value)}`);
      return;
    case 'date':
      if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
        throw new ContractError(path, 'must be an ISO 8601 date-time string');
      }
      return;
    case 'literal':
    case 'enum':
      if (!d.values.includes(value)) {
        throw new ContractError(path, `must be one of: ${d.values.join(', ')} (got ${JSON.stringify(value)})`);
      }
      return;
    case 'array':
      if (!Array.isArray(value)) throw new ContractError(path, `must be an array, got ${describe(value)}`);
      value.forEach((item, i) => check(d.of, item, `${path}[${i}]`));
      return;
    case 'union': {
      const problems = [];
      for (const option of d.of) {
        try {
          check(option, value, path);
          return;
        } catch (error) {
          if (!(error instanceof ContractError)) throw error;
          problems.push(error.message);
        }
      }
      throw new ContractError(path, `matches none of its types (${problems.join('; ')})`);
    }
    case 'model': {
      if (!isPlainObject(value)) throw new ContractError(path, `must be an object, got ${describe(value)}`);
      for (const field of d.fields) {
        const fieldValue = value[field.key];
        const fieldPath = `${path}.${field.key}`;
        const allowsNull = fieldAllowsNull(field.type);
        if (fieldValue === undefined || (fieldValue === null && !allowsNull)) {
          if (field.required) throw new ContractError(fieldPath, 'is required');
          continue;
        }
        if (fieldValue === null) continue;
        check(field.type, fieldValue, fieldPath);
      }
      return;
    }
    default:
      throw new Error(`unknown descriptor kind ${d.kind}`);
  }
}

function fieldAllowsNull(type) {
  return type.kind === 'null' || (type.kind === 'union' && type.of.some((t) => t.kind === 'null'));
}

// ---------------------------------------------------------------------------------------------
// The models the sandbox reads. Loaded once when this module is first imported.

const [
  verifyRequest,
  verifyUnlinkRequest,
  globalWalletConnectionCreateRequest,
  internalUserFields,
] = await Promise.all([
  loadDynamicModel(DYNAMIC_SDK, 'VerifyRequest'),
  loadDynamicModel(DYNAMIC_SDK, 'VerifyUnlinkRequest'),
  loadDynamicModel(DYNAMIC_SDK, 'GlobalWalletConnectionCreateRequest'),
  loadDynamicModel(DYNAMIC_ADMIN, 'InternalUserFields'),
]);
const userConnectParams = loadSnagModel('UserConnectParams');

/** Official enum objects the handlers compare against. */
export const { ChainEnum } = await import(`${DYNAMIC_SDK}/models/ChainEnum`);
export const { WalletProviderEnum } = await import(`${DYNAMIC_SDK}/models/WalletProviderEnum`);
export const { UnprocessableEntityErrorCode } = await import(`${DYNAMIC_SDK}/models/UnprocessableEntityErrorCode`);
export const { JwtVerifiedCredentialFormatEnum } = await import(`${DYNAMIC_SDK}/models/JwtVerifiedCredentialFormatEnum`);
export const { GlobalWalletConnectionStatusEnum } = await import(`${DYNAMIC_SDK}/models/GlobalWalletConnectionStatusEnum`);
const { VerifyResponseToJSON } = await import(`${DYNAMIC_SDK}/models/VerifyResponse`);
const { SdkUserToJSON } = await import(`${DYNAMIC_SDK}/models/SdkUser`);
const { NonceResponseToJSON } = await import(`${DYNAMIC_SDK}/models/NonceResponse`);
const { GlobalWalletConnectionToJSON } = await import(`${DYNAMIC_SDK}/models/GlobalWalletConnection`);
const { UnprocessableEntityToJSON } = await import(`${DYNAMIC_SDK}/models/UnprocessableEntity`);
const { BulkUserCreateResponseToJSON } = await import(`${DYNAMIC_ADMIN}/models/BulkUserCreateResponse`);

/** Each returns the official typed object (via the model's FromJSON) or throws ContractError. */
export const parse = {
  verifyRequest(json) {
    check(verifyRequest, json, 'request.body');
    return verifyRequest.fromJSON(json);
  },
  verifyUnlinkRequest(json) {
    check(verifyUnlinkRequest, json, 'request.body');
    return verifyUnlinkRequest.fromJSON(json);
  },
  globalWalletConnectionCreateRequest(json) {
    check(globalWalletConnectionCreateRequest, json, 'request.body');
    return globalWalletConnectionCreateRequest.fromJSON(json);
  },
  /** The admin bulk body: a bare JSON array of InternalUserFields. */
  internalUserFieldsArray(json) {
    if (!Array.isArray(json)) throw new ContractError('request.body', `must be an array, got ${describe(json)}`);
    json.forEach((item, i) => check(internalUserFields, item, `request.body[${i}]`));
    return json.map((item) => internalUserFields.fromJSON(item));
  },
  /** Snag's SDK has no runtime models: the typed object is the validated JSON itself. */
  snagUserConnectParams(json) {
    check(userConnectParams, json, 'request.body');
    return json;
  },
};

/** Serialise typed objects with the official ToJSON functions (official JSON key names). */
export const serialize = {
  verifyResponse: (value) => VerifyResponseToJSON(value),
  sdkUser: (value) => SdkUserToJSON(value),
  nonceResponse: (value) => NonceResponseToJSON(value),
  globalWalletConnection: (value) => GlobalWalletConnectionToJSON(value),
  unprocessableEntity: (value) => UnprocessableEntityToJSON(value),
  bulkUserCreateResponse: (value) => BulkUserCreateResponseToJSON(value),
};

/** Validate a JSON value against any official Dynamic model (used by tests on responses). */
export async function checkDynamicModel(pkg, name, json) {
  check(await loadDynamicModel(pkg, name), json, name);
}
