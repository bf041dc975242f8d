// The Chromium half of the benchmark, bundled by bench/run.mjs with every peer inside and
// `wallet-linker` left to the page's import map (the browser entry of the package snapshot
// bench/out/pkg, as published).
import * as wl from 'wallet-linker';
import { runSuite } from './suite.mjs';

globalThis.__benchRun = (fixtures, options) => runSuite(wl, fixtures, options, (line) => console.log(line));
globalThis.__benchReady = true;
