// Expands template+data pairs with the official Adaptive Card Templating library
// (npm adaptivecards-templating), for the C# tests to compare with ChatRegs' own binder.
//
//   node expand-official.js <cases.json> <results.json>
//
// cases.json:   [{ "id": "...", "template": <json>, "data": <json> }, ...]
// results.json: [{ "id": "...", "ok": true, "result": <json> }
//                | { "id": "...", "ok": false, "error": "message" }, ...]
//
// Each case is expanded as the docs show: new ACData.Template(template).expand({ $root: data }).
// A result of undefined is written as null (what JSON.stringify gives inside a document).
'use strict';

const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function requireFromRepo(name) {
  let resolved;
  try {
    resolved = require.resolve(name, { paths: [repoRoot] });
  } catch (e) {
    console.error(`npm package '${name}' is not installed under ${repoRoot}/node_modules: run \`npm ci\` at the repository root.`);
    process.exit(3);
  }
  return require(resolved);
}

const ACData = requireFromRepo('adaptivecards-templating');
const version = require(require.resolve('adaptivecards-templating/package.json', { paths: [repoRoot] })).version;

const [casesFile, resultsFile] = process.argv.slice(2);
if (!casesFile || !resultsFile) {
  console.error('usage: node expand-official.js <cases.json> <results.json>');
  process.exit(2);
}

const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const results = cases.map((c) => {
  try {
    const template = new ACData.Template(c.template);
    const expanded = template.expand({ $root: c.data });
    return { id: c.id, ok: true, result: expanded === undefined ? null : expanded };
  } catch (e) {
    return { id: c.id, ok: false, error: String(e && e.message ? e.message : e) };
  }
});

fs.writeFileSync(resultsFile, JSON.stringify({ library: 'adaptivecards-templating', version, results }));
