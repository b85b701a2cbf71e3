// Check Cypher statements with Neo4j's own parser and semantic analysis (Cypher 5), offline.
//
// stdin:  a JSON array of {"id": "...", "text": "...", "params": ["name", ...]}
//         (a bare string is a statement with no id and no parameters)
// stdout: a JSON array of {"id", "errors": [...], "warnings": [...]} for every statement,
//         each message as {"line", "column", "message"} (1-based line, 0-based column)
// exit:   0 when no statement has an error, 1 when one has, 2 on bad input
//
// Functions are checked against Neo4j 5's built-in function list that the package ships
// (its test schema, taken from a live server); labels, types and properties are not checked.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// the CommonJS build: this version's ESM build has extension-less imports Node rejects
const require = createRequire(import.meta.url);
const { lintCypherQuery, testData } = require('@neo4j-cypher/language-support');

const VERSION = 'CYPHER 5';
const builtIn = (registry) =>
  Object.fromEntries(Object.entries(registry[VERSION]).filter(([, f]) => f.isBuiltIn));
const functions = { [VERSION]: builtIn(testData.mockSchema.functions) };
const procedures = {
  [VERSION]: Object.fromEntries(
    Object.entries(testData.mockSchema.procedures[VERSION]).filter(([name]) =>
      /^(db|dbms|tx)\./.test(name),
    ),
  ),
};

function message(d) {
  return { line: d.range.start.line + 1, column: d.range.start.character, message: d.message };
}

let input;
try {
  input = JSON.parse(readFileSync(0, 'utf8'));
  if (!Array.isArray(input)) throw new Error('expected a JSON array');
} catch (e) {
  process.stderr.write(`check.mjs: bad input: ${e.message}\n`);
  process.exit(2);
}

let failed = false;
const out = input.map((item, i) => {
  const stmt = typeof item === 'string' ? { id: String(i), text: item, params: [] } : item;
  const parameters = Object.fromEntries((stmt.params ?? []).map((p) => [p, null]));
  const schema = { parameters, functions, procedures, defaultLanguage: VERSION };
  const diagnostics = lintCypherQuery(stmt.text, schema);
  const errors = diagnostics.filter((d) => d.severity === 1).map(message);
  const warnings = diagnostics.filter((d) => d.severity !== 1).map(message);
  failed ||= errors.length > 0;
  return { id: stmt.id ?? String(i), errors, warnings };
});
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
process.exit(failed ? 1 : 0);
