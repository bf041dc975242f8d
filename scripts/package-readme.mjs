// Writes the npm package's README (stdout) from the repository's: the parts between
// `<!-- package:omit:begin ... -->` and `<!-- package:omit:end -->` (development commands, layout,
// CI times, the benchmark chart, which is not in the package) are left out, and so are the lines
// that hold only a tooling marker comment (they name test files and `./dev` commands).
import { readFileSync } from 'node:fs';

export function packageReadme(readme) {
  const out = [];
  let omitting = false;
  readme.split('\n').forEach((line, i) => {
    const where = `README.md:${i + 1}`;
    if (line.startsWith('<!-- package:omit:begin')) {
      if (omitting) throw new Error(`${where}: package:omit:begin inside an omitted part`);
      omitting = true;
    } else if (line.startsWith('<!-- package:omit:end')) {
      if (!omitting) throw new Error(`${where}: package:omit:end without a begin`);
      omitting = false;
    } else if (!omitting && !/^<!--.*-->$/.test(line.trim())) {
      out.push(line);
    }
  });
  if (omitting) throw new Error('README.md: a package:omit part is not closed');
  // No runs of blank lines where a part was taken out.
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  process.stdout.write(packageReadme(readFileSync(new URL('../README.md', import.meta.url), 'utf8')));
}
