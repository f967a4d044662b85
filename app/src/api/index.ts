// The API client the app uses: createApi bound to the signed-in person's ID token.
import { firebase } from "../firebase";
import { createApi } from "./client";

export const api = createApi(async (refresh) => {
  const { auth } = await firebase();
  return auth.currentUser ? auth.currentUser.getIdToken(refresh) : null;
});

export { ApiError, isAbort } from "./client";
export type * from "./types";
