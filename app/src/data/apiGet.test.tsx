import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client";
import { useApiGet } from "./apiGet";
import { knownZone } from "./profile";

const get = vi.fn();
vi.mock("../api", async () => {
  const client = await vi.importActual<typeof import("../api/client")>("../api/client");
  return { api: { get: (...args: unknown[]) => get(...args) }, isAbort: client.isAbort };
});
// profile.ts reaches Firebase only when it watches; its pure helper needs none of it.
vi.mock("./db", () => ({ firestoreOf: () => null }));

afterEach(() => {
  cleanup();
  get.mockReset();
});

function Shown({ path, again }: { path: string | null; again?: unknown }) {
  const answer = useApiGet<{ n: number }>(path, { limit: 5 }, again);
  if (answer.status === "loading") return <p>loading</p>;
  if (answer.status === "error") return <p>error: {answer.error.message}</p>;
  return <p>n = {answer.data.n}</p>;
}

describe("useApiGet", () => {
  it("asks once, then again only when `again` changes, keeping the last answer meanwhile", async () => {
    get.mockResolvedValueOnce({ n: 1 });
    const view = render(<Shown path="/api/x" again="a" />);
    await screen.findByText("n = 1");
    expect(get).toHaveBeenCalledTimes(1);
    expect(get.mock.calls[0]?.[1]).toMatchObject({ query: { limit: 5 } });
    view.rerender(<Shown path="/api/x" again="a" />);
    expect(get).toHaveBeenCalledTimes(1);
    let settle: (v: unknown) => void = () => undefined;
    get.mockReturnValueOnce(new Promise((resolve) => (settle = resolve)));
    view.rerender(<Shown path="/api/x" again="b" />);
    expect(get).toHaveBeenCalledTimes(2);
    expect(screen.getByText("n = 1")).toBeTruthy(); // no "loading" flash on a refresh
    await act(async () => settle({ n: 2 }));
    await screen.findByText("n = 2");
  });

  it("asks nothing without a path, and says the API's sentence on an error", async () => {
    render(<Shown path={null} />);
    expect(get).not.toHaveBeenCalled();
    cleanup();
    get.mockRejectedValueOnce(new ApiError(404, "not-found", "Session not found"));
    render(<Shown path="/api/y" />);
    await screen.findByText("error: Session not found");
  });

  it("cancels the call when the screen goes away", () => {
    get.mockReturnValueOnce(new Promise(() => undefined));
    const view = render(<Shown path="/api/z" />);
    const signal = get.mock.calls[0]?.[1]?.signal as AbortSignal;
    expect(signal.aborted).toBe(false);
    view.unmount();
    expect(signal.aborted).toBe(true);
  });
});

describe("knownZone", () => {
  it("keeps an IANA zone this browser knows, and nothing else", () => {
    expect(knownZone("Europe/Paris")).toBe("Europe/Paris");
    expect(knownZone("Mars/Olympus")).toBeNull();
    expect(knownZone("")).toBeNull();
    expect(knownZone(42)).toBeNull();
    expect(knownZone(null)).toBeNull();
  });
});
