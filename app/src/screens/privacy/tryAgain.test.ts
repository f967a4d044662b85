import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import { errorWords, waitWords } from "./tryAgain";

describe("try again", () => {
  it("says the wait in words", () => {
    expect(waitWords(1)).toBe("in 1 second");
    expect(waitWords(40)).toBe("in 40 seconds");
    expect(waitWords(61)).toBe("in 2 minutes");
    expect(waitWords(3500)).toBe("in 59 minutes");
    expect(waitWords(3600)).toBe("in about 1 hour");
    expect(waitWords(3 * 3600 + 100)).toBe("in about 3 hours");
  });

  it("adds when to try again to a rate limit's sentence", () => {
    const limited = new ApiError(429, "resource-exhausted", "At most 5 per day.", [], 7200);
    expect(errorWords(limited, "x")).toBe("At most 5 per day. Try again in about 2 hours.");
    expect(errorWords(new ApiError(404, "not-found", "Not found."), "x")).toBe("Not found.");
    expect(errorWords(new Error("boom"), "Something went wrong.")).toBe("Something went wrong.");
  });
});
