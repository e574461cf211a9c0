import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES } from "./locales";
import { POSITION_KINDS, PUBLICATION_TYPES, TERMS, termLabel } from "./messages";

// The values as the API documents them: the "One of: ..." description of an argument in
// schema.graphql (the schema the front end's types are generated from).
const schema = readFileSync(path.resolve(__dirname, "../../../schema.graphql"), "utf8");
function documented(field: string, argument: string): string[] {
  const block = schema.slice(schema.indexOf(`  ${field}(\n`));
  const match = block.match(new RegExp(`"""\\s*One of: ([^"]+?)\\s*"""\\s*${argument}: String`));
  if (!match) throw new Error(`schema.graphql documents no values for ${field}(${argument})`);
  return match[1].split(",").map((value) => value.trim());
}

describe("publication types and position kinds", () => {
  const types = documented("publications", "type");
  const kinds = documented("positionPapers", "kind");

  it("are the values the schema documents", () => {
    expect(types).toContain("methodological tool");
    expect([...PUBLICATION_TYPES]).toEqual(types);
    expect([...POSITION_KINDS]).toEqual(kinds);
  });

  describe.each(LOCALES)("in %s", (locale) => {
    it("each have a label", () => {
      for (const value of [...types, ...kinds]) {
        const label = termLabel(value, locale, "API label");
        expect(label, value).not.toBe("API label");
        expect(label.trim(), value).not.toBe("");
      }
      expect(Object.keys(TERMS[locale]).sort()).toEqual([...new Set([...types, ...kinds])].sort());
    });

    it("are translated, not the English label, but for words the language shares", () => {
      if (locale === "en") return;
      const same = Object.keys(TERMS.en).filter((value) => (TERMS[locale] as Record<string, string>)[value] === (TERMS.en as Record<string, string>)[value]);
      expect(same.sort()).toEqual(SAME_AS_ENGLISH[locale].sort());
    });
  });

  it("read as each language names them", () => {
    expect(termLabel("report", "fr")).toBe("Rapport");
    expect(termLabel("resolution", "de")).toBe("Entschließung");
    expect(termLabel("position paper", "pt")).toBe("Tomada de posição");
  });

  it("fall back to the API's label, else the value, for a value the front end does not know", () => {
    expect(termLabel("podcast", "it", "Podcast")).toBe("Podcast");
    expect(termLabel("podcast", "it")).toBe("podcast");
  });
});

// Words a language writes as English does (checked by a reader of the language).
const SAME_AS_ENGLISH: Record<string, string[]> = {
  fr: ["guide"],
  de: ["newsletter"],
  es: [],
  it: ["manifesto", "newsletter"],
  pt: ["manifesto"],
};
