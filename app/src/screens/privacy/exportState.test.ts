import { describe, expect, it } from "vitest";
import type { DataExportPublic } from "../../api/types";
import { downloadable, exportWords, working } from "./exportState";

const now = new Date("2026-03-10T12:00:00Z");
const job = (over: Partial<DataExportPublic>): DataExportPublic => ({
  id: "e1",
  uid: "u1",
  status: "queued",
  createdAt: "2026-03-10T11:59:00Z",
  ...over,
});

describe("download my data", () => {
  it("follows a job while it is queued or running", () => {
    expect(working(job({ status: "queued" }))).toBe(true);
    expect(working(job({ status: "running" }))).toBe(true);
    expect(working(job({ status: "done" }))).toBe(false);
    expect(working(null)).toBe(false);
  });

  it("offers the file only while it is kept", () => {
    const done = job({
      status: "done",
      expiresAt: "2026-03-17T12:00:00Z",
      size: 20480,
      finishedAt: "2026-03-10T12:00:00Z",
    });
    expect(downloadable(done, now)).toBe(true);
    expect(downloadable(done, new Date("2026-03-18T00:00:00Z"))).toBe(false);
    expect(downloadable(job({ status: "failed" }), now)).toBe(false);
    const options = { timeZone: "UTC", locale: "en-GB", now };
    expect(exportWords(done, options)).toMatch(/^Ready \(a ZIP file, 20 KB\)\. It is kept until /);
    expect(exportWords(done, { ...options, now: new Date("2026-03-18T00:00:00Z") })).toMatch(
      /no longer kept/,
    );
    expect(exportWords(job({ status: "running" }), options)).toMatch(
      /^Asked today, 11:59: being put together now/,
    );
    expect(exportWords(job({ status: "failed", error: "no account" }), options)).toMatch(
      /\(no account\)\. Ask again\.$/,
    );
  });
});
