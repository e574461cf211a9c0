/**
 * After GraphQL Code Generator (`npm run codegen`): marks each generated document
 * `new TypedDocumentString(...)` /*#__PURE__*\/ so a bundle keeps only the documents it uses.
 * The client preset does not pass codegen's own `pureMagicComment` option on. Without it the
 * browser's bundle (search-as-you-type imports one document) carried every query of the site.
 *
 * Usage: node scripts/pure-documents.mjs <generated file>...
 */
import fs from "node:fs";

for (const file of process.argv.slice(2)) {
  if (!file.endsWith(".ts")) continue;
  const text = fs.readFileSync(file, "utf8");
  const marked = text.replace(/= new TypedDocumentString\(/g, "= /*#__PURE__*/ new TypedDocumentString(");
  if (marked !== text) fs.writeFileSync(file, marked);
}
