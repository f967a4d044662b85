import { describe, expect, it } from "vitest";
import { zoneGroups, zoneNames, zoneOffset, zoneWords } from "./zones";

const JANUARY = new Date("2026-01-15T12:00:00Z");

describe("zoneNames", () => {
  it("lists the browser's zones sorted, with UTC and the zones to keep", () => {
    const names = zoneNames("Mars/Olympus_Mons", null, undefined);
    expect(names).toContain("Europe/Paris");
    expect(names).toContain("UTC");
    expect(names).toContain("Mars/Olympus_Mons");
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("zoneGroups", () => {
  it("groups by region, the place in words with its offset, zones without a region last", () => {
    const groups = zoneGroups(
      ["UTC", "America/Argentina/Buenos_Aires", "Europe/Paris", "Asia/Kolkata"],
      JANUARY,
    );
    expect(groups.map((g) => g.region)).toEqual(["America", "Asia", "Europe", "Other"]);
    expect(groups[0]?.zones).toEqual([
      { value: "America/Argentina/Buenos_Aires", label: "Argentina/Buenos Aires (GMT-3)" },
    ]);
    expect(groups[1]?.zones[0]?.label).toBe("Kolkata (GMT+5:30)");
    expect(groups[3]?.zones[0]).toEqual({ value: "UTC", label: "UTC" });
  });
});

describe("zoneOffset", () => {
  it("follows daylight saving time", () => {
    expect(zoneOffset("Europe/Paris", JANUARY)).toBe("GMT+1");
    expect(zoneOffset("Europe/Paris", new Date("2026-07-15T12:00:00Z"))).toBe("GMT+2");
  });
  it("is empty for a zone the browser does not know", () => {
    expect(zoneOffset("Mars/Olympus_Mons", JANUARY)).toBe("");
  });
});

describe("zoneWords", () => {
  it("names the zone and, when the browser knows one, its long name", () => {
    expect(zoneWords("America/New_York", JANUARY)).toMatch(/^America\/New York \(.+\)$/);
    expect(zoneWords("Mars/Olympus_Mons", JANUARY)).toBe("Mars/Olympus Mons");
  });
});
