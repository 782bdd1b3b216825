// Validates a Slack app manifest against Slack's published JSON schemas (../shared/schemas).
// Usage: node validate-slack-manifest.mjs <schemas-dir> <manifest.json>   Exit 0 when valid; errors on stderr.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const [schemasDir, manifestPath] = process.argv.slice(2);
if (!schemasDir || !manifestPath) {
  console.error("usage: node validate-slack-manifest.mjs <schemas-dir> <manifest.json>");
  process.exit(2);
}

const read = (name) => JSON.parse(readFileSync(join(schemasDir, name), "utf8"));
// The root schema picks a version schema by _metadata.major_version and refers to it by its published address.
const remote = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/";
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(read("slack-manifest.schema.1.0.0.json"), remote + "manifest.schema.1.0.0.json");
ajv.addSchema(read("slack-manifest.schema.2.0.0.json"), remote + "manifest.schema.2.0.0.json");
const validate = ajv.compile(read("slack-manifest.schema.json"));
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
if (!validate(manifest)) {
  console.error(JSON.stringify(validate.errors, null, 2));
  process.exit(1);
}
console.log("valid");
