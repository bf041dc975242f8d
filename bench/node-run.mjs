// The Node half of the benchmark: `node bench/node-run.mjs FIXTURES.json OUT.json [samples sampleMs]`.
// A process of its own, so nothing the orchestrator loaded shares its heap or JIT.
import { readFileSync, writeFileSync } from 'node:fs';
import { runSuite } from './suite.mjs';

const [fixturesPath, outPath, samples, sampleMs] = process.argv.slice(2);
const fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8'));
const options = { samples: Number(samples ?? 5), sampleMs: Number(sampleMs ?? 250) };
const results = await runSuite(fixtures, options, (line) => console.log(line));
writeFileSync(outPath, JSON.stringify({ runtime: `Node ${process.version}`, results }, null, 1));
