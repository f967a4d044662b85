// The one way the app talks to the REST API (/api/**, docs/api.md): JSON in and out, the caller's
// ID token as a Bearer token, errors as a typed ApiError naming each bad field, an
// Idempotency-Key on creates, and an AbortSignal on every call. Screens never call fetch().
import type { ErrorBody, ErrorCode, FieldError } from "./types";

/** An answer other than 2xx, or no answer at all (`status` 0, `code` "unavailable"). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | "unavailable";
  readonly errors: readonly FieldError[];
  /** Seconds to wait before retrying, when the server says (409 aborted, 429). */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: ErrorCode | "unavailable",
    detail: string,
    errors: readonly FieldError[] = [],
    retryAfter: number | null = null,
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }

  /** The message for one field (the API's name for it), if the API named it. */
  fieldError(field: string): string | undefined {
    return this.errors.find((error) => error.field === field)?.message;
  }
}

/** True for a call the caller cancelled (its AbortSignal fired): nothing to show. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface CallOptions {
  signal?: AbortSignal | undefined;
  query?: Query | undefined;
  /** Sent as `Idempotency-Key` (docs/api.md, "Idempotency keys"). */
  idempotencyKey?: string | undefined;
}

/** An ID token for the signed-in person (a fresh one when `refresh`), or null when signed out. */
export type TokenSource = (refresh: boolean) => Promise<string | null>;

const NO_CONNECTION = "No connection to Sessionbase. Check your network and try again.";

async function errorOf(reply: Response): Promise<ApiError> {
  const retry = Number(reply.headers.get("Retry-After"));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  let body: Partial<ErrorBody> = {};
  try {
    body = (await reply.json()) as Partial<ErrorBody>;
  } catch {
    // Not the API's JSON (a proxy's error page, a Hosting 404): said in words below.
  }
  if (typeof body.detail === "string" && typeof body.code === "string") {
    return new ApiError(reply.status, body.code, body.detail, body.errors ?? [], retryAfter);
  }
  const detail =
    reply.status >= 500 || reply.status === 0
      ? "Sessionbase is not answering right now. Try again in a minute."
      : `The request failed (HTTP ${reply.status}).`;
  return new ApiError(reply.status, reply.status >= 500 ? "unavailable" : "internal", detail, [], retryAfter);
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export function createApi(token: TokenSource, send: typeof fetch = (...args) => fetch(...args)) {
  async function request<T>(
    method: string,
    path: string,
    body: unknown,
    options: CallOptions = {},
  ): Promise<T> {
    const url = withQuery(path, options.query);
    const attempt = async (refresh: boolean): Promise<Response> => {
      const headers: Record<string, string> = { Accept: "application/json" };
      const idToken = await token(refresh);
      if (idToken) headers.Authorization = `Bearer ${idToken}`;
      // A multipart body (FormData) sets its own Content-Type, with the boundary.
      const form = body instanceof FormData;
      if (body !== undefined && !form) headers["Content-Type"] = "application/json";
      if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
      try {
        return await send(url, {
          method,
          headers,
          body: body === undefined ? null : form ? body : JSON.stringify(body),
          signal: options.signal ?? null,
        });
      } catch (error) {
        if (isAbort(error)) throw error;
        throw new ApiError(0, "unavailable", NO_CONNECTION);
      }
    };
    let reply = await attempt(false);
    // A token revoked or expired since it was cached: ask Auth for a fresh one, once.
    if (reply.status === 401) reply = await attempt(true);
    if (!reply.ok) throw await errorOf(reply);
    return (await reply.json()) as T;
  }

  return {
    get: <T>(path: string, options?: CallOptions) => request<T>("GET", path, undefined, options),
    post: <T>(path: string, body?: unknown, options?: CallOptions) => request<T>("POST", path, body, options),
    /** A multipart/form-data POST (a photo as a file field), e.g. POST /api/analyze/{pose}. */
    postForm: <T>(path: string, form: FormData, options?: CallOptions) =>
      request<T>("POST", path, form, options),
    put: <T>(path: string, body: unknown, options?: CallOptions) => request<T>("PUT", path, body, options),
    delete: <T>(path: string, options?: CallOptions) => request<T>("DELETE", path, undefined, options),

    /**
     * A create that is made once however often it is sent: the same Idempotency-Key goes with a
     * resend of the same body until the server answers (a double-click, a retry after a lost
     * connection), so the server writes one record; an answer, or another body, starts a new key.
     */
    creator<T>(path: string) {
      let pending: { key: string; body: string } | null = null;
      return async (body: unknown, options: Omit<CallOptions, "idempotencyKey"> = {}): Promise<T> => {
        const text = JSON.stringify(body);
        if (pending?.body !== text) pending = { key: crypto.randomUUID(), body: text };
        const sent = pending;
        try {
          const answer = await request<T>("POST", path, body, { ...options, idempotencyKey: sent.key });
          if (pending === sent) pending = null;
          return answer;
        } catch (error) {
          // Answered (an ApiError with a status): the next submit is a new create. Not answered
          // (no connection, aborted): the next submit may be the same create, so it keeps the key.
          if (error instanceof ApiError && error.status !== 0 && pending === sent) pending = null;
          throw error;
        }
      };
    },
  };
}

export type Api = ReturnType<typeof createApi>;
