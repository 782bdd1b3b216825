// Parses Adaptive Card JSON files with the official object model (npm adaptivecards) and prints, as JSON, every
// warning or error the parser raised per file. Usage: node check-adaptive-cards.cjs <file.json>...
"use strict";
const path = require("path");
const fs = require("fs");
const AC = require(path.join(__dirname, "node_modules", "adaptivecards", "dist", "adaptivecards.js"));

const results = {};
for (const file of process.argv.slice(2)) {
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const events = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push({ phase: e.phase, event: AC.ValidationEvent[e.event] ?? e.event, message: e.message });
  }
  // Validation of the parsed card (missing required values, duplicate ids, etc.) as the renderer would see it.
  for (const e of card.validateProperties().validationEvents) {
    events.push({ phase: "validate", event: AC.ValidationEvent[e.event] ?? e.event, message: e.message });
  }
  results[path.basename(file)] = { events, body: (json.body || []).length, actions: card.getActionCount() };
}
process.stdout.write(JSON.stringify(results, null, 1));
