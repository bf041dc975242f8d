// The Node half of the benchmark:
// `node bench/node-run.mjs PKG_DIR FIXTURES.json OUT.json [samples sampleMs]` loads PKG_DIR/node.js
// (the package's Node entry). A process of its own, so nothing the orchestrator loaded shares its
// heap or JIT.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSuite } from './suite.mjs';

const [pkgDir, fixturesPath, outPath, samples, sampleMs] = process.argv.slice(2);
const wl = await import(pathToFileURL(path.resolve(pkgDir, 'node.js')).href);
const fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8'));
const options = { samples: Number(samples ?? 5), sampleMs: Number(sampleMs ?? 250) };
const results = await runSuite(wl, fixtures, options, (line) => console.log(line));
writeFileSync(outPath, JSON.stringify({ runtime: `Node ${process.version}`, results }, null, 1));
