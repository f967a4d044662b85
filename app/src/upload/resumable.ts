// A resumable upload (Cloud Storage's protocol; the API's POST /api/sessions/{id}/upload gives
// the session URL): the file goes in chunks, each `PUT` with `Content-Range: bytes a-b/size`.
// 308 means "kept so far" — up to the byte its `Range: bytes=0-N` says, when the storage lets the
// page read that header — and 200/201 means the object is complete. A lost connection, 408, 429
// or 5xx sends the same chunk again from its start after a pause that doubles; after `retries`
// such failures the upload stops with the offset kept so far, and `uploadResumable(…, {from})`
// goes on from there with the same URL (a "Try again" that does not start over).
//
// The `Range` header is read only when the response exposes it (getAllResponseHeaders lists only
// those). Asking XMLHttpRequest for a header CORS does not expose logs "Refused to get unsafe
// header" in the console: the reference app did that on every chunk. When it is not exposed,
// the whole chunk counts as kept, as Cloud Storage keeps a whole chunk of a multiple of 256 KiB
// that it answered 308 for. The status query (`Content-Range: bytes */size`) is not used: the
// local stand-in for Storage (fake-gcs-server) takes it as an empty last chunk and completes the
// object.

/** 1 MiB: a multiple of 256 KiB, as Cloud Storage requires of every chunk but the last. */
export const CHUNK = 4 * 256 * 1024;
export const RETRIES = 4;

/** What one PUT answered: its status (0: no answer) and its `Range` header, if readable. */
export interface ChunkAnswer {
  status: number;
  range: string | null;
}

export interface Chunk {
  url: string;
  body: Blob;
  start: number;
  /** Exclusive. */
  end: number;
  total: number;
  contentType: string;
  /** Bytes of this chunk sent so far. */
  onSent: (sent: number) => void;
  signal?: AbortSignal | undefined;
}

export type PutChunk = (chunk: Chunk) => Promise<ChunkAnswer>;

/** The upload stopped: `kept` bytes are stored; `uploadResumable(…, {from: kept})` goes on. */
export class UploadStopped extends Error {
  readonly kept: number;
  readonly status: number;
  constructor(message: string, kept: number, status: number) {
    super(message);
    this.name = "UploadStopped";
    this.kept = kept;
    this.status = status;
  }
}

export interface UploadOptions {
  contentType: string;
  /** Bytes sent so far (of the whole file), as they go. */
  onProgress?: (sent: number) => void;
  signal?: AbortSignal | undefined;
  /** Where to go on from (the `kept` of an UploadStopped). */
  from?: number;
  chunkSize?: number;
  retries?: number;
  put?: PutChunk;
  wait?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

function transient(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

function abortError(): DOMException {
  return new DOMException("The upload was cancelled.", "AbortError");
}

/** Upload `file` to the resumable session `url`; resolves once the object is complete. */
export async function uploadResumable(url: string, file: Blob, options: UploadOptions): Promise<void> {
  const {
    contentType,
    onProgress = () => {},
    signal,
    chunkSize = CHUNK,
    retries = RETRIES,
    put = putWithXhr,
    wait = pause,
  } = options;
  const total = file.size;
  let start = Math.max(0, Math.min(options.from ?? 0, total));
  let failures = 0;
  onProgress(start);
  while (start < total) {
    if (signal?.aborted) throw abortError();
    const end = Math.min(start + chunkSize, total);
    const from = start;
    const answer = await put({
      url,
      body: file.slice(start, end),
      start,
      end,
      total,
      contentType,
      onSent: (sent) => onProgress(from + sent),
      signal,
    });
    if (signal?.aborted) throw abortError();
    if (answer.status === 200 || answer.status === 201) {
      onProgress(total);
      return;
    }
    if (answer.status === 308) {
      const kept = answer.range?.match(/^bytes=0-(\d+)$/);
      start = kept ? Number(kept[1]) + 1 : end;
      failures = 0;
      onProgress(start);
      continue;
    }
    failures += 1;
    if (!transient(answer.status) || failures > retries) {
      const why = answer.status ? `the storage answered ${answer.status}` : "the connection was lost";
      throw new UploadStopped(`The upload stopped: ${why}.`, start, answer.status);
    }
    onProgress(start);
    await wait(250 * 2 ** failures);
  }
  throw new UploadStopped("The storage kept every byte but did not complete the file.", start, 308);
}

/** The response's `Range` header if CORS exposes it to the page, without asking for a hidden one. */
export function exposedRange(allHeaders: string): string | null {
  for (const line of allHeaders.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === "range")
      return line.slice(colon + 1).trim();
  }
  return null;
}

/** One chunk with XMLHttpRequest: only it reports a request body's bytes as they are sent. */
export const putWithXhr: PutChunk = (chunk) =>
  new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", chunk.url);
    request.setRequestHeader("Content-Type", chunk.contentType);
    if (chunk.total > 0) {
      request.setRequestHeader("Content-Range", `bytes ${chunk.start}-${chunk.end - 1}/${chunk.total}`);
    }
    request.upload.onprogress = (event) => chunk.onSent(event.loaded);
    request.onload = () =>
      resolve({ status: request.status, range: exposedRange(request.getAllResponseHeaders()) });
    request.onerror = () => resolve({ status: 0, range: null });
    request.ontimeout = () => resolve({ status: 0, range: null });
    request.onabort = () => reject(abortError());
    chunk.signal?.addEventListener("abort", () => request.abort(), { once: true });
    request.send(chunk.body);
  });
