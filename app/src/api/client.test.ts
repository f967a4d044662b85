import { describe, expect, it } from "vitest";
import { ApiError, createApi, isAbort } from "./client";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/** A fetch that records what it was sent and answers from a script, one answer per call. */
function server(...answers: (Response | Error)[]) {
  const sent: Sent[] = [];
  const send = async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    init?.signal?.throwIfAborted();
    sent.push({
      url: String(url),
      method: init?.method ?? "GET",
      headers: init?.headers as Record<string, string>,
      body: (init?.body as string | null) ?? null,
    });
    const answer = answers.shift();
    if (!answer) throw new Error("no answer scripted");
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { sent, send: send as typeof fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

const tokens = async (refresh: boolean) => (refresh ? "fresh" : "cached");

describe("the API client", () => {
  it("sends the ID token and JSON, and answers the JSON", async () => {
    const { sent, send } = server(json(200, { sessions: [], nextCursor: null }));
    const api = createApi(tokens, send);
    const page = await api.get("/api/sessions", {
      query: { limit: 20, status: "scheduled", cursor: undefined },
    });
    expect(page).toEqual({ sessions: [], nextCursor: null });
    expect(sent[0]?.url).toBe("/api/sessions?limit=20&status=scheduled");
    expect(sent[0]?.headers.Authorization).toBe("Bearer cached");
    expect(sent[0]?.headers["Content-Type"]).toBeUndefined();
  });

  it("turns an error body into an ApiError naming each bad field", async () => {
    const body = {
      detail: "Some fields are invalid.",
      code: "invalid-argument",
      errors: [{ field: "athleteEmail", message: "Enter an e-mail address." }],
    };
    const { send } = server(json(400, body));
    const error = await createApi(tokens, send)
      .post("/api/sessions", { athleteEmail: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect([apiError.status, apiError.code, apiError.message]).toEqual([
      400,
      "invalid-argument",
      "Some fields are invalid.",
    ]);
    expect(apiError.fieldError("athleteEmail")).toBe("Enter an e-mail address.");
    expect(apiError.fieldError("event")).toBeUndefined();
  });

  it("reads Retry-After and says a non-JSON failure in words", async () => {
    const { send } = server(
      json(409, { detail: "Busy.", code: "aborted" }, { "Retry-After": "2" }),
      new Response("<html>Bad gateway</html>", { status: 502 }),
    );
    const api = createApi(tokens, send);
    const busy = (await api.post("/api/groups", {}).catch((e: unknown) => e)) as ApiError;
    expect([busy.code, busy.retryAfter]).toEqual(["aborted", 2]);
    const down = (await api.get("/api/sessions").catch((e: unknown) => e)) as ApiError;
    expect([down.status, down.code]).toEqual([502, "unavailable"]);
    expect(down.message).toMatch(/not answering/);
  });

  it("asks for a fresh token once after a 401", async () => {
    const { sent, send } = server(
      json(401, { detail: "Sign in again.", code: "unauthenticated" }),
      json(200, { ok: true }),
    );
    await createApi(tokens, send).get("/api/sessions");
    expect(sent.map((s) => s.headers.Authorization)).toEqual(["Bearer cached", "Bearer fresh"]);
  });

  it("reports a lost connection as status 0, and an abort as an abort", async () => {
    const { send } = server(new TypeError("Failed to fetch"));
    const lost = (await createApi(tokens, send)
      .get("/api/sessions")
      .catch((e: unknown) => e)) as ApiError;
    expect([lost.status, lost.code]).toEqual([0, "unavailable"]);

    const controller = new AbortController();
    controller.abort();
    const aborted = await createApi(tokens, server().send)
      .get("/api/sessions", { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(isAbort(aborted)).toBe(true);
  });

  it("sends a multipart body as it is, with the ID token and no JSON Content-Type", async () => {
    const { sent, send } = server(json(200, { accuracy: 80 }));
    const form = new FormData();
    form.append("file", new Blob(["x"], { type: "image/jpeg" }), "pose.jpg");
    const answer = await createApi(tokens, send).postForm("/api/analyze/tree_pose", form);
    expect(answer).toEqual({ accuracy: 80 });
    expect(sent[0]?.method).toBe("POST");
    expect(sent[0]?.headers.Authorization).toBe("Bearer cached");
    expect(sent[0]?.headers["Content-Type"]).toBeUndefined();
    expect(sent[0]?.body).toBe(form);
  });

  describe("a creator", () => {
    const created = () => json(201, { sessionId: "s1" });
    const invalid = () => json(400, { detail: "Bad.", code: "invalid-argument" });

    it("sends one key for a resend after a lost connection, a new one after an answer", async () => {
      const { sent, send } = server(new TypeError("offline"), created(), created());
      const create = createApi(tokens, send).creator("/api/sessions");
      await expect(create({ event: "100 m" })).rejects.toMatchObject({ status: 0 });
      await create({ event: "100 m" });
      await create({ event: "100 m" });
      const keys = sent.map((s) => s.headers["Idempotency-Key"]);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      expect(keys[2]).not.toBe(keys[0]);
    });

    it("sends a double-click's two requests with the same key", async () => {
      const { sent, send } = server(created(), created());
      const create = createApi(tokens, send).creator("/api/sessions");
      await Promise.all([create({ event: "a" }), create({ event: "a" })]);
      expect(sent[0]?.headers["Idempotency-Key"]).toBe(sent[1]?.headers["Idempotency-Key"]);
    });

    it("starts a new key when the answer was an error or the body changed", async () => {
      const { sent, send } = server(invalid(), new TypeError("offline"), created());
      const create = createApi(tokens, send).creator("/api/sessions");
      await create({ event: "a" }).catch(() => undefined);
      await create({ event: "a" }).catch(() => undefined);
      await create({ event: "b" });
      const [first, second, third] = sent.map((s) => s.headers["Idempotency-Key"]);
      expect(second).not.toBe(first);
      expect(third).not.toBe(second);
      expect(sent[2]?.body).toBe('{"event":"b"}');
    });
  });
});
