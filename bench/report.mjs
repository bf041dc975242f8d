// Turns one run's measurements into the Markdown tables, the target verdicts and the SVG chart.
// Pure functions over plain data (bench/out/results.json), so a report can be re-rendered.
import { OPERATIONS } from './suite.mjs';

const fmt = (n) => (n == null || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US'));
const ratio = (a, b) => (a && b ? a / b : null);
const fmtRatio = (r) => (r == null ? '—' : r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);
const fmtPercent = (r) => (r == null ? '—' : `${Math.round(r * 100)}%`);
const fmtRate = (n) => (n == null || !Number.isFinite(n) ? '—' : `${fmt(n)}/s`);
const fmtMs = (ms) => (ms == null ? '—' : `${ms.toFixed(1)} ms`);

/** The native figure matching one of our rows. */
function nativeFor(run, row) {
  const op = row.variant === 'prepared' ? `${row.op}-prepared` : row.op;
  return run.native?.results?.find((r) => r.op === op)?.opsPerSec ?? null;
}

function rowsOf(run, runtime) {
  return run[runtime]?.results ?? [];
}

/** The best peer for one of our rows: same operation, and a prepared peer only for a prepared row. */
function bestPeer(rows, ours) {
  let best = null;
  for (const r of rows) {
    if (r.ours || r.op !== ours.op || r.error) continue;
    if (r.variant === 'prepared' && ours.variant !== 'prepared') continue;
    if (!best || r.opsPerSec > best.opsPerSec) best = r;
  }
  return best;
}

const find = (rows, op, predicate) => rows.find((r) => r.op === op && predicate(r) && !r.error);

/** Per-runtime figures the targets and the summary need. */
function figures(run, runtime) {
  const rows = rowsOf(run, runtime);
  const ours = (op, variant = null) => find(rows, op, (r) => r.ours && r.variant === variant)?.opsPerSec ?? null;
  const peer = (op, name) => find(rows, op, (r) => r.name.startsWith(name))?.opsPerSec ?? null;
  return { rows, ours, peer };
}

/** Combined rate of doing A then B once each. */
const combined = (a, b) => (a && b ? 1 / (1 / a + 1 / b) : null);

/** Each issue target: what was measured and whether it is met. */
export function evaluateTargets(run) {
  const node = figures(run, 'node');
  const chromium = figures(run, 'chromium');
  const native = (op) => run.native?.results?.find((r) => r.op === op)?.opsPerSec ?? null;
  const both = (f) => [f(node), f(chromium)];
  const describe = ([n, c], show) => `Node ${show(n)}, Chromium ${show(c)}`;
  const meets = (values, min) => values.every((v) => v != null && v >= min);
  // Per runtime when a target is measured in both: "Node yes, Chromium no".
  const verdict = ([n, c], min) => {
    const ok = (v) => v != null && v >= min;
    return ok(n) === ok(c) ? ok(n) : `Node ${ok(n) ? 'yes' : 'no'}, Chromium ${ok(c) ? 'yes' : 'no'}`;
  };
  const targets = [];

  // The goals of the size-and-speed issue, each from this run.
  const evmVsNoble = both((f) => ratio(f.ours('evm'), f.peer('evm', '@noble/curves')));
  targets.push({ target: 'EVM EIP-191 recover + compare >= 4x @noble/curves (Chromium)', measured: describe(evmVsNoble, fmtRatio), met: meets([evmVsNoble[1]], 4) });
  const evmVsTiny = both((f) => ratio(f.ours('evm'), f.peer('evm', 'tiny-secp256k1')));
  targets.push({ target: 'EVM >= 2.5x tiny-secp256k1 (libsecp256k1 in wasm) + keccak (Chromium)', measured: describe(evmVsTiny, fmtRatio), met: meets([evmVsTiny[1]], 2.5) });
  const oneShot = ratio(chromium.ours('solana'), chromium.peer('solana', 'WebCrypto Ed25519 (importKey'));
  const prepared = ratio(chromium.ours('solana', 'prepared'), chromium.peer('solana', 'WebCrypto Ed25519 (key imported once'));
  targets.push({
    target: 'Solana verify >= 80% of WebCrypto Ed25519 (native) in Chromium',
    measured: `one call from raw key ${fmtPercent(oneShot)} (vs importKey + verify); key prepared once ${fmtPercent(prepared)} (SolanaVerifier vs imported CryptoKey)`,
    met: meets([oneShot, prepared], 0.8),
  });
  const tonVsPeer = both((f) => ratio(f.ours('ton'), bestPeer(f.rows, { op: 'ton' })?.opsPerSec));
  const suiVsPeer = both((f) => ratio(f.ours('sui'), bestPeer(f.rows, { op: 'sui' })?.opsPerSec));
  targets.push({
    target: 'TON proof and Sui personal-message verification >= 3x @ton/crypto and @mysten/sui',
    measured: `TON: ${describe(tonVsPeer, fmtRatio)}; Sui: ${describe(suiVsPeer, fmtRatio)}`,
    met: meets([...tonVsPeer, ...suiVsPeer], 3),
  });
  const entries = run.size?.entries;
  if (entries) {
    targets.push({
      target: '`wallet-linker/verify` .wasm <= 60 KB gzip -9',
      measured: `${(entries.verify.wasm.gzip / 1000).toFixed(1)} KB`,
      met: entries.verify.wasm.gzip <= 60_000,
    });
    targets.push({
      target: 'largest .wasm in the package <= 120 KB gzip -9',
      measured: `${(entries.main.wasm.gzip / 1000).toFixed(1)} KB (the main entry)`,
      met: Math.max(entries.main.wasm.gzip, entries.verify.wasm.gzip) <= 120_000,
    });
  }
  const inst = run.instantiation ?? {};
  targets.push({
    target: 'compile + instantiate <= 8 ms in Chromium (cold)',
    measured: `main entry ${fmtMs(inst.chromium?.bytesMs)}, verify entry ${fmtMs(inst.chromiumVerify?.bytesMs)} from bytes in memory; whole import over loopback (instantiateStreaming) ${fmtMs(inst.chromium?.importMs)} and ${fmtMs(inst.chromiumVerify?.importMs)}`,
    met: (() => {
      const fast = (ms) => ms != null && ms <= 8;
      const [main, verify] = [inst.chromium?.bytesMs, inst.chromiumVerify?.bytesMs];
      return fast(main) === fast(verify) ? fast(main) : `main ${fast(main) ? 'yes' : 'no'}, verify ${fast(verify) ? 'yes' : 'no'}`;
    })(),
  });
  return targets;
}

export function environmentLines(run) {
  const e = run.environment;
  return [
    `Machine: ${e.cpu} (${e.cores} cores), ${e.memoryGb} GB RAM, ${e.os}. Date: ${e.date}.`,
    `Runtimes: ${run.node?.runtime ?? 'Node —'}; ${e.chromium}; native: ${e.rustc}, x86_64, release profile with opt-level 3, best of two runs (the wasm uses the package's release profile: opt-level "s" with the crypto crates at 3, lto, wasm-opt -O3).`,
    `Load average (1/5/15 min) at the start of each phase — the machine was shared with other builds: ${e.load.map((l) => `${l.phase} ${l.loadavg}`).join('; ')}.`,
    `Method: median of ${run.options.samples} samples of >= ${run.options.sampleMs} ms after >= 300 ms warm-up; every contender's result checked once before timing; fixtures made by viem and tweetnacl, shared by all.`,
  ];
}

export function summaryTable(run) {
  const lines = [
    '| operation | ours, Node | ÷ best peer | ours, Chromium | ÷ best peer | native | ours ÷ native (Node · Chromium) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const node = rowsOf(run, 'node');
  const chromium = rowsOf(run, 'chromium');
  for (const op of OPERATIONS) {
    for (const n of node.filter((r) => r.op === op.id && r.ours)) {
      const c = chromium.find((r) => r.name === n.name);
      const nat = nativeFor(run, n);
      const np = bestPeer(node, n);
      const cp = c && bestPeer(chromium, c);
      const label = n.variant === 'prepared' ? `${op.title} (key prepared once)` : op.title;
      lines.push(
        `| ${label} | ${fmtRate(n.opsPerSec)} | ${fmtRatio(ratio(n.opsPerSec, np?.opsPerSec))} | ${fmtRate(c?.opsPerSec)} | ${fmtRatio(ratio(c?.opsPerSec, cp?.opsPerSec))} | ${fmtRate(nat)} | ${fmtPercent(ratio(n.opsPerSec, nat))} · ${fmtPercent(ratio(c?.opsPerSec, nat))} |`,
      );
    }
  }
  const inst = run.instantiation ?? {};
  lines.push(
    `| module compile + instantiate, cold, from bytes in memory | ${fmtMs(inst.node?.bytesMs)} | | ${fmtMs(inst.chromium?.bytesMs)} | | | |`,
    `| package import, cold (Chromium: over loopback, fetch included) | ${fmtMs(inst.node?.importMs)} | | ${fmtMs(inst.chromium?.importMs)} (${fmtMs(inst.chromium?.importAfterWasmMs)} after the .wasm arrived) | | | |`,
    `| \`wallet-linker/verify\`: compile + instantiate, cold, from bytes | ${fmtMs(inst.nodeVerify?.bytesMs)} | | ${fmtMs(inst.chromiumVerify?.bytesMs)} | | | |`,
    `| \`wallet-linker/verify\`: import, cold | | | ${fmtMs(inst.chromiumVerify?.importMs)} (${fmtMs(inst.chromiumVerify?.importAfterWasmMs)} after the .wasm arrived) | | | |`,
  );
  return lines.join('\n');
}

export function fullTable(run) {
  const lines = ['| operation | contender | Node ops/s | Chromium ops/s |', '|---|---|---:|---:|'];
  const node = rowsOf(run, 'node');
  const chromium = rowsOf(run, 'chromium');
  for (const op of OPERATIONS) {
    for (const n of node.filter((r) => r.op === op.id)) {
      const c = chromium.find((r) => r.name === n.name);
      const cell = (r) => (r?.error ? `n/a (${r.error})` : fmt(r?.opsPerSec));
      const name = n.ours ? `**${n.name}**` : n.name;
      const value = (r) => (n.ours && !r?.error ? `**${cell(r)}**` : cell(r));
      lines.push(`| ${op.title} | ${name} | ${value(n)} | ${value(c)} |`);
    }
    for (const r of run.native?.results?.filter((x) => x.op === op.id || x.op === `${op.id}-prepared`) ?? []) {
      lines.push(`| ${op.title} | ${r.name} (the limit) | ${fmt(r.opsPerSec)} (native) | |`);
    }
  }
  return lines.join('\n');
}

export function targetsTable(targets) {
  return [
    '| target | measured (same run) | met? |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === true ? 'yes' : t.met === false ? '**no**' : `**${t.met}**`} |`),
  ].join('\n');
}

export function markdownReport(run) {
  return [
    '# wallet-linker benchmark',
    '',
    ...environmentLines(run).map((l) => `${l}  `),
    '',
    '## Ours against the best peer and native',
    '',
    summaryTable(run),
    '',
    '## Every contender',
    '',
    fullTable(run),
    '',
    '## Targets (the size-and-speed goals)',
    '',
    targetsTable(evaluateTargets(run)),
    '',
  ].join('\n');
}

const escapeXml = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * Horizontal bars per operation, each contender's Node and Chromium rate (and the native limit),
 * scaled to the fastest figure of that operation.
 */
export function svgChart(run) {
  const node = rowsOf(run, 'node');
  const chromium = rowsOf(run, 'chromium');
  const width = 1060;
  const labelWidth = 470;
  const barMax = 450;
  const barHeight = 9;
  const colors = { node: '#5b8def', chromium: '#f0a030', native: '#7a7a7a', ours: '#1b7f3b' };
  const parts = [];
  let y = 58;
  for (const op of OPERATIONS) {
    const names = node.filter((r) => r.op === op.id).map((r) => r.name);
    const natives = run.native?.results?.filter((r) => r.op === op.id || r.op === `${op.id}-prepared`) ?? [];
    const values = [
      ...names.flatMap((name) => [node.find((r) => r.name === name), chromium.find((r) => r.name === name)]),
      ...natives,
    ]
      .map((r) => r?.opsPerSec)
      .filter((v) => Number.isFinite(v));
    const max = Math.max(1, ...values);
    parts.push(`<text x="8" y="${y}" class="op">${escapeXml(op.title)} (ops/s, longer is faster)</text>`);
    y += 10;
    const bar = (value, color, yy) => {
      if (!Number.isFinite(value)) return `<text x="${labelWidth}" y="${yy + barHeight - 1}" class="v">n/a</text>`;
      const w = Math.max(1, (value / max) * barMax);
      return `<rect x="${labelWidth}" y="${yy}" width="${w.toFixed(1)}" height="${barHeight}" fill="${color}"/><text x="${(labelWidth + w + 4).toFixed(1)}" y="${yy + barHeight - 1}" class="v">${fmt(value)}</text>`;
    };
    for (const name of names) {
      const n = node.find((r) => r.name === name);
      const c = chromium.find((r) => r.name === name);
      parts.push(`<text x="${labelWidth - 8}" y="${y + barHeight + 4}" class="${n.ours ? 'ours' : 'peer'}" text-anchor="end">${escapeXml(name)}</text>`);
      parts.push(bar(n?.opsPerSec, colors.node, y));
      parts.push(bar(c?.opsPerSec, colors.chromium, y + barHeight + 1));
      y += 2 * barHeight + 8;
    }
    for (const r of natives) {
      parts.push(`<text x="${labelWidth - 8}" y="${y + barHeight - 1}" class="peer" text-anchor="end">${escapeXml(r.name)}</text>`);
      parts.push(bar(r.opsPerSec, colors.native, y));
      y += barHeight + 8;
    }
    y += 14;
  }
  const inst = run.instantiation ?? {};
  parts.push(
    `<text x="8" y="${y}" class="op">Module compile + instantiate, cold: Node ${escapeXml(fmtMs(inst.node?.bytesMs))}, Chromium ${escapeXml(fmtMs(inst.chromium?.bytesMs))}</text>`,
  );
  y += 16;
  const legend = [
    ['Node', colors.node],
    ['Chromium', colors.chromium],
    ['native Rust (release)', colors.native],
  ]
    .map(([label, color], i) => `<rect x="${8 + i * 170}" y="30" width="12" height="10" fill="${color}"/><text x="${24 + i * 170}" y="39" class="v">${label}</text>`)
    .join('');
  const title = `wallet-linker vs JS libraries — ${run.environment.date}, ${run.environment.cpu} (${run.environment.cores} cores), load ${run.environment.load[0]?.loadavg ?? ''}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">
<style>.op{font-size:13px;font-weight:600;fill:#222}.peer{font-size:11px;fill:#333}.ours{font-size:11px;font-weight:700;fill:${colors.ours}}.v{font-size:10px;fill:#444}.t{font-size:14px;font-weight:700;fill:#111}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="18" class="t">${escapeXml(title)}</text>
${legend}
${parts.join('\n')}
</svg>
`;
}
