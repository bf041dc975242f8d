// Extracts the README's quick start (between the quick-start markers).
import { readFileSync } from 'node:fs';

export function quickStart() {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('<!-- quick-start:begin')[1]?.split('<!-- quick-start:end -->')[0];
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (!code) throw new Error('README quick start not found');
  return code;
}

if (process.argv[1] === new URL(import.meta.url).pathname) process.stdout.write(quickStart());
