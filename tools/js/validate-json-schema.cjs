// Validates a JSON document against a JSON Schema with ajv (+ ajv-formats).
// Usage: node tools/js/validate-json-schema.cjs <schema.json> <document.json>
// Exit 0 when valid; 1 with the errors as JSON on stderr when not; 2 on bad usage.
'use strict';
const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const [schemaPath, documentPath] = process.argv.slice(2);
if (!schemaPath || !documentPath) {
  console.error('usage: validate-json-schema.cjs <schema.json> <document.json>');
  process.exit(2);
}

const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
// The Teams schema declares draft-04 but uses no keyword whose meaning changed since (it even uses draft-06 `const`);
// ajv 8 has no draft-04 meta-schema built in, so the declaration is dropped and the keywords checked as draft-07.
delete schema.$schema;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const document = JSON.parse(fs.readFileSync(documentPath, 'utf8'));
if (validate(document)) {
  console.log('valid');
  process.exit(0);
}
console.error(JSON.stringify(validate.errors, null, 2));
process.exit(1);
