import { describe, expect, it } from "vitest";
import { attachmentProblem, declaredType, MAX_ATTACHMENT_BYTES } from "./attachmentTypes";

describe("which files a session takes", () => {
  it("declares the browser's type when the API accepts it, else the one the extension names", () => {
    expect(declaredType({ name: "notes.pdf", type: "application/pdf" })).toBe("application/pdf");
    expect(declaredType({ name: "Minutes.DOC", type: "" })).toBe("application/msword");
    expect(declaredType({ name: "talk.weba", type: "" })).toBe("audio/webm");
    expect(declaredType({ name: "clip.wav", type: "audio/x-wav" })).toBe("audio/x-wav");
    expect(declaredType({ name: "tool.exe", type: "application/x-msdownload" })).toBeNull();
    expect(declaredType({ name: "page.html", type: "text/html" })).toBeNull();
  });

  it("names what is wrong with a file before any request", () => {
    expect(attachmentProblem({ name: "a.pdf", type: "application/pdf", size: 10 })).toBeNull();
    expect(attachmentProblem({ name: "a.pdf", type: "application/pdf", size: 0 })).toMatch(/empty/);
    expect(
      attachmentProblem({ name: "a.pdf", type: "application/pdf", size: MAX_ATTACHMENT_BYTES + 1 }),
    ).toMatch(/100 MB/);
    expect(attachmentProblem({ name: "a.svg", type: "image/svg+xml", size: 10 })).toMatch(
      /cannot be attached/,
    );
  });
});
