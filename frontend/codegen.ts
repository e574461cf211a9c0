import type { CodegenConfig } from "@graphql-codegen/cli";

// The queries in queries/*.graphql, typed against the CMS's contract (../schema.graphql):
// a schema change that breaks a query fails `npm run codegen`, hence the build and typecheck.
const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["queries/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // Documents as strings: no GraphQL parser shipped to the browser.
        documentMode: "string",
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { PositiveInt: "number", RichText: "string", DateTime: "string", Date: "string", JSONString: "string" },
      },
    },
  },
};

export default config;
