// A GET from the REST API as a screen's state: loading, ready (the answer) or error (an ApiError
// with its sentence). The call is cancelled when the screen goes away or asks again; `again`
// (any value, e.g. a listener's latest snapshot) asks again when it changes, and the last answer
// stays on screen meanwhile, so a refresh does not flash "Loading…".
import { useEffect, useState } from "react";
import { api, isAbort } from "../api";
import { ApiError, type Query } from "../api/client";

export type Answer<T> =
  | { status: "loading" }
  | { status: "ready"; data: T }
  | { status: "error"; error: ApiError };

export function useApiGet<T>(path: string | null, query?: Query, again?: unknown): Answer<T> {
  const [answer, setAnswer] = useState<Answer<T>>({ status: "loading" });
  // The query's values, not its object: a new object with the same values asks nothing new.
  const asked = query ? JSON.stringify(query) : "";
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    api
      .get<T>(path, { signal: controller.signal, query: asked ? (JSON.parse(asked) as Query) : undefined })
      .then(
        (data) => setAnswer({ status: "ready", data }),
        (error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          setAnswer({
            status: "error",
            error:
              error instanceof ApiError
                ? error
                : new ApiError(0, "unavailable", "Something went wrong. Try again."),
          });
        },
      );
    return () => controller.abort();
  }, [path, asked, again]);
  return answer;
}
