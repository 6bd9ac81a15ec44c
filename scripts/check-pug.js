// Lint for views: unescaped output (`!=`, `!{}`) is allowed only for govuk() component calls,
// which escape their own parameters (security requirement D14).
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.pug') ? [p] : [];
  });
}

const problems = [];
for (const file of files(join(__dirname, '..', 'views'))) {
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (/!\{/.test(line)) problems.push(`${file}:${i + 1}: !{} interpolation is not allowed`);
    const m = /!=\s*(.*)$/.exec(line);
    if (m && !/^govuk\(/.test(m[1].trim())) problems.push(`${file}:${i + 1}: != is allowed only for govuk(...) components`);
  });
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
