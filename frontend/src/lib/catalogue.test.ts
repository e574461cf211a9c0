import { describe, expect, it } from "vitest";
import { facetOptions, linkTo, pageWindow, queryString, readState, type Facet } from "./catalogue";

const TYPES = ["report", "guide"];

describe("catalogue state in the URL", () => {
  it("reads every filter, the sort and the page", () => {
    const state = readState({ topic: "drugs", year: "2019", language: "fr", type: "report", order: "title", page: "3" }, TYPES);
    expect(state).toEqual({ topic: "drugs", year: 2019, language: "fr", type: "report", order: "title", page: 3 });
  });

  it("drops values the API would refuse instead of sending them", () => {
    const state = readState({ year: "abc", language: "xx", type: "novel", order: "random", page: "-2" }, TYPES);
    expect(state).toEqual({ topic: undefined, year: undefined, language: undefined, type: undefined, order: "-date", page: 1 });
  });

  it("writes one URL per state, defaults left out", () => {
    expect(queryString(readState({}, TYPES))).toBe("");
    expect(queryString(readState({ page: "2", type: "guide", topic: "youth" }, TYPES))).toBe("?topic=youth&type=guide&page=2");
  });

  it("goes back to page 1 when a filter changes, not when the page does", () => {
    const state = readState({ topic: "youth", page: "4" }, TYPES);
    expect(linkTo("/publications/", state, { year: 2020 })).toBe("/publications/?topic=youth&year=2020");
    expect(linkTo("/publications/", state, { page: 5 })).toBe("/publications/?topic=youth&page=5");
    expect(linkTo("/publications/", state, { topic: undefined })).toBe("/publications/");
  });


  it("shows the pages around the current one with gaps", () => {
    expect(pageWindow(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(pageWindow(1, 3)).toEqual([1, 2, 3]);
  });
});

const FACETS: Facet[] = [
  { name: "type", values: [{ value: "guide", label: "Guide", count: 3 }, { value: "report", label: "Report", count: 0 }] },
  { name: "topic", values: [{ value: "drugs", label: "Drogues", count: 4 }, { value: "youth", label: "Jeunesse", count: 1 }] },
  { name: "year", values: [{ value: "2021", label: "2021", count: 2 }, { value: "2019", label: "2019", count: 5 }] },
  { name: "language", values: [{ value: "fr", label: "French", count: 7 }, { value: "nl", label: "Dutch", count: 1 }] },
];

describe("filters' options from the list's facets", () => {
  it("keeps the CMS's values, labels, counts and order", () => {
    expect(facetOptions(FACETS, "topic")).toEqual([
      { value: "drugs", label: "Drogues", count: 4 },
      { value: "youth", label: "Jeunesse", count: 1 },
    ]);
    expect(facetOptions(FACETS, "year").map((o) => o.value)).toEqual(["2021", "2019"]);
  });

  it("shows a fixed list first, in its order, at 0 where nothing has the value", () => {
    const options = facetOptions(FACETS, "language", { always: ["en", "fr"], label: (code) => code.toUpperCase() });
    expect(options).toEqual([
      { value: "en", label: "EN", count: 0 },
      { value: "fr", label: "FR", count: 7 },
      { value: "nl", label: "NL", count: 1 },
    ]);
  });

  it("keeps the chosen value when nothing has it, and a facet the list lacks is empty", () => {
    expect(facetOptions(FACETS, "year", { current: 2005 })).toContainEqual({ value: "2005", label: "2005", count: 0 });
    expect(facetOptions(FACETS, "year", { current: 2019 })).toHaveLength(2);
    expect(facetOptions(FACETS, "kind")).toEqual([]);
    expect(facetOptions([], "topic", { current: "drugs" })).toEqual([{ value: "drugs", label: "drugs", count: 0 }]);
  });
});
