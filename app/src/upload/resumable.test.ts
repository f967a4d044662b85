import { describe, expect, it } from "vitest";
import { type Chunk, type ChunkAnswer, exposedRange, UploadStopped, uploadResumable } from "./resumable";

const KIB = 1024;

/** A storage that answers each PUT from a script, recording what was sent. */
function storage(answers: ((chunk: Chunk) => ChunkAnswer)[]) {
  const sent: string[] = [];
  const put = async (chunk: Chunk): Promise<ChunkAnswer> => {
    sent.push(`${chunk.start}-${chunk.end - 1}/${chunk.total}`);
    chunk.onSent(chunk.end - chunk.start);
    const next = answers.shift();
    if (!next) throw new Error("no more answers scripted");
    return next(chunk);
  };
  return { sent, put };
}

const file = (size: number) => new Blob([new Uint8Array(size)]);
const kept =
  (range: string | null = null) =>
  () => ({ status: 308, range });
const done = () => ({ status: 200, range: null });
const failed = (status: number) => () => ({ status, range: null });
const noWait = async () => {};

describe("uploadResumable", () => {
  it("sends chunks in order and moves the progress to the end", async () => {
    const { sent, put } = storage([kept(), kept(), done]);
    const progress: number[] = [];
    await uploadResumable("u", file(600 * KIB), {
      contentType: "video/mp4",
      chunkSize: 256 * KIB,
      put,
      wait: noWait,
      onProgress: (n) => progress.push(n),
    });
    expect(sent).toEqual(["0-262143/614400", "262144-524287/614400", "524288-614399/614400"]);
    expect(progress.at(-1)).toBe(600 * KIB);
    expect(progress).toEqual([...progress].sort((a, b) => a - b)); // never backwards
  });

  it("goes on from the byte a readable Range says was kept", async () => {
    const { sent, put } = storage([kept("bytes=0-99999"), done]);
    await uploadResumable("u", file(300 * KIB), { contentType: "video/mp4", chunkSize: 256 * KIB, put });
    expect(sent).toEqual(["0-262143/307200", "100000-307199/307200"]);
  });

  it("sends a failed chunk again after a pause, and stops after the retries with what was kept", async () => {
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
    };
    const retried = storage([kept(), failed(503), failed(0), done]);
    await uploadResumable("u", file(300 * KIB), {
      contentType: "video/mp4",
      chunkSize: 256 * KIB,
      put: retried.put,
      wait,
    });
    expect(retried.sent).toEqual([
      "0-262143/307200",
      "262144-307199/307200",
      "262144-307199/307200",
      "262144-307199/307200",
    ]);
    expect(waits).toEqual([500, 1000]);

    const broken = storage([kept(), failed(503), failed(503)]);
    const stopped = uploadResumable("u", file(300 * KIB), {
      contentType: "video/mp4",
      chunkSize: 256 * KIB,
      put: broken.put,
      wait: noWait,
      retries: 1,
    });
    await expect(stopped).rejects.toBeInstanceOf(UploadStopped);
    await expect(stopped).rejects.toMatchObject({ kept: 256 * KIB, status: 503 });
  });

  it("does not retry a refusal, and resumes from a given offset", async () => {
    const refused = storage([failed(404)]);
    await expect(
      uploadResumable("u", file(10), { contentType: "video/mp4", put: refused.put, wait: noWait }),
    ).rejects.toMatchObject({ kept: 0, status: 404 });
    expect(refused.sent).toHaveLength(1);

    const resumed = storage([done]);
    await uploadResumable("u", file(300 * KIB), {
      contentType: "video/mp4",
      chunkSize: 256 * KIB,
      from: 256 * KIB,
      put: resumed.put,
    });
    expect(resumed.sent).toEqual(["262144-307199/307200"]);
  });
});

describe("exposedRange", () => {
  it("reads Range only from the headers the response exposes", () => {
    expect(exposedRange("content-type: text/plain\r\nrange: bytes=0-1048575\r\n")).toBe("bytes=0-1048575");
    expect(exposedRange("content-type: text/plain\r\nlocation: x\r\n")).toBeNull();
    expect(exposedRange("")).toBeNull();
  });
});
