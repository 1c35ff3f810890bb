// Sums the counters of every .trx file dotnet test wrote and prints them on one line,
// "N passed, N failed[, N skipped]", the line CI reads. A test project that wrote no .trx
// (its host crashed) counts as a failure.
const fs = require('fs');
const path = require('path');

const [dir, expectedProjects] = process.argv.slice(2);
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.trx')) : [];
let passed = 0, failed = 0, skipped = 0;
for (const file of files) {
  const xml = fs.readFileSync(path.join(dir, file), 'utf8');
  const counters = /<Counters\s([^>]*)\/?>/.exec(xml);
  if (!counters) { failed++; continue; }
  const get = name => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(counters[1]) || [0, 0])[1]);
  passed += get('passed');
  failed += get('failed') + get('error') + get('timeout') + get('aborted');
  skipped += get('notExecuted');
}
const missing = Math.max(0, Number(expectedProjects || 0) - files.length);
if (missing > 0) {
  console.error(`${missing} test project(s) wrote no results (crashed or did not build).`);
  failed += missing;
}
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed > 0 || passed === 0 ? 1 : 0);
