import { describe, expect, it } from "vitest";
import { linkTo, pageWindow, queryString, readState, yearRange } from "./catalogue";

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

  it("lists the years from the newest item's to the oldest's", () => {
    expect(yearRange(2025, 2022)).toEqual([2025, 2024, 2023, 2022]);
    expect(yearRange(null, 2000)).toEqual([]);
  });

  it("shows the pages around the current one with gaps", () => {
    expect(pageWindow(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(pageWindow(1, 3)).toEqual([1, 2, 3]);
  });
});
