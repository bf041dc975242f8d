// The Chromium half of the benchmark, bundled by bench/run.mjs with every peer inside and
// `wallet-linker` left to the page's import map (/pkg/index.js, the package as published).
import { runSuite } from './suite.mjs';

globalThis.__benchRun = (fixtures, options) => runSuite(fixtures, options, (line) => console.log(line));
globalThis.__benchReady = true;
