// Extracts the README's backend examples (between the backend-node / backend-worker markers).
import { readFileSync } from 'node:fs';

/** The fenced ```js block of the README between `<!-- backend-${name}:begin` and its end marker. */
export function backendExample(name) {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(`<!-- backend-${name}:begin`)[1]?.split(`<!-- backend-${name}:end -->`)[0];
  const code = section?.match(/```js\n([\s\S]*?)```/)?.[1];
  if (!code) throw new Error(`README backend example "${name}" not found`);
  return code;
}

/** Replaces `from` (which must occur exactly once) by `to`. */
export function substitute(code, from, to) {
  const count = code.split(from).length - 1;
  if (count !== 1) throw new Error(`expected exactly one ${JSON.stringify(from)} in the README example, found ${count}`);
  return code.replace(from, () => to);
}

if (process.argv[1] === new URL(import.meta.url).pathname) process.stdout.write(backendExample(process.argv[2] ?? 'node'));
