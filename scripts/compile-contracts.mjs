#!/usr/bin/env node
// Compiles contracts/*.sol with the solc-js pinned in package.json (standard JSON, fixed settings,
// no metadata hash, so the output depends only on the sources and the compiler) and writes
//   contracts/build/SignatureValidator.hex  the validator's creation code, lowercase hex, no 0x
//                                           (include_str!'d by src/evm/contract.rs);
//   contracts/build/test-contracts.json     solc version, ABI and creation code of every contract
//                                           (read by the JS tests' Anvil harness).
// `--check` compiles in memory and exits 1 if either committed file differs. `--build-dir DIR`
// reads or writes DIR instead of contracts/build (the tests check --check on a stale copy).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Source unit names (paths from the repository root) of every contract compiled. */
export const SOURCES = [
  'contracts/SignatureValidator.sol',
  'contracts/test/TestSmartAccount.sol',
  'contracts/test/TestAccountFactory.sol',
];

/** Output: contract name -> its source unit. */
const CONTRACTS = {
  TestSmartAccount: 'contracts/test/TestSmartAccount.sol',
  TestAccountFactory: 'contracts/test/TestAccountFactory.sol',
  SignatureValidator: 'contracts/SignatureValidator.sol',
};

export const SETTINGS = {
  // Size first: the validator's creation code is sent with every eth_call and runs once.
  optimizer: { enabled: true, runs: 1 },
  // Cancun (PUSH0, MCOPY): what the deployless validators of viem and Ambire also need.
  evmVersion: 'cancun',
  // No metadata at all (hash or CBOR tail): the bytecode depends only on the sources and solc.
  metadata: { bytecodeHash: 'none', appendCBOR: false },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};

export const BUILD_DIR = path.join(root, 'contracts/build');
export const HEX_NAME = 'SignatureValidator.hex';
export const JSON_NAME = 'test-contracts.json';

/** The solc-js module, checked against the exact version pinned in package.json. */
function loadSolc() {
  const solc = require('solc');
  const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.solc;
  const version = solc.version();
  if (!pinned || !version.startsWith(`${pinned}+`)) {
    throw new Error(`solc ${version} is installed but package.json pins solc ${pinned}: run npm ci`);
  }
  return solc;
}

/** Compiles every source; returns `{ hex, json }`, the exact text of both output files. */
export function compileContracts() {
  const solc = loadSolc();
  const sources = Object.fromEntries(SOURCES.map((s) => [s, { content: readFileSync(path.join(root, s), 'utf8') }]));
  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const problems = output.errors ?? [];
  for (const p of problems) if (p.severity !== 'error') console.warn(p.formattedMessage);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);

  const contracts = {};
  for (const [name, source] of Object.entries(CONTRACTS)) {
    const c = output.contracts?.[source]?.[name];
    if (!c?.evm?.bytecode?.object) throw new Error(`solc gave no bytecode for ${source}:${name}`);
    contracts[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object.toLowerCase()}` };
  }
  const { optimizer, evmVersion, metadata } = SETTINGS;
  const json = `${JSON.stringify({ solc: solc.version(), settings: { optimizer, evmVersion, metadata }, contracts }, null, 2)}\n`;
  const hex = `${contracts.SignatureValidator.bytecode.slice(2)}\n`;
  return { hex, json };
}

function readOrEmpty(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function main(args) {
  const check = args.includes('--check');
  const dirAt = args.indexOf('--build-dir');
  const buildDir = dirAt >= 0 ? path.resolve(args[dirAt + 1] ?? '') : BUILD_DIR;
  const { hex, json } = compileContracts();
  const files = [
    [path.join(buildDir, HEX_NAME), hex],
    [path.join(buildDir, JSON_NAME), json],
  ];
  if (check) {
    const stale = files.filter(([file, text]) => readOrEmpty(file) !== text).map(([file]) => path.relative(root, file));
    if (stale.length) {
      console.error(
        `compile-contracts --check: ${stale.join(' and ')} ${stale.length > 1 ? 'differ' : 'differs'} from what ` +
          'solc makes of contracts/*.sol now. Run `node scripts/compile-contracts.mjs` and commit the result.',
      );
      return 1;
    }
    console.log(`compile-contracts --check: ${path.relative(root, buildDir)} matches solc ${JSON.parse(json).solc}`);
    return 0;
  }
  mkdirSync(buildDir, { recursive: true });
  for (const [file, text] of files) writeFileSync(file, text);
  console.log(`wrote ${files.map(([f]) => path.relative(root, f)).join(', ')} (validator: ${(hex.length - 1) / 2} bytes)`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`compile-contracts: ${e.message}`);
    process.exitCode = 1;
  }
}
