// A session's video, from the coach's phone or computer: the API checks the file's name, type and
// size and gives a resumable upload URL (POST /api/sessions/{id}/upload); the bytes then go there
// in chunks with progress (upload/resumable.ts). A chunk that fails is sent again on its own; if
// the connection stays away, "Try again" goes on from what the storage kept. Once the file is
// complete the analysis starts on its own, and the session's listener shows it arrive.
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, api, isAbort } from "../../api";
import type { SessionPublic, UploadUrl } from "../../api/types";
import { formatFileSize, formatPercent } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormError, Notice } from "../../ui/Notice";
import { UploadStopped, uploadResumable } from "../../upload/resumable";
import styles from "./detail.module.css";

/** At most 2 GB (docs/api.md, "Uploads and analysis"). */
export const MAX_VIDEO_BYTES = 2 * 1024 ** 3;
const VIDEO_EXTENSIONS: Record<string, string> = {
  mp4: "video/mp4",
  m4v: "video/mp4",
  mov: "video/quicktime",
  qt: "video/quicktime",
  webm: "video/webm",
  mkv: "video/x-matroska",
  mpg: "video/mpeg",
  mpeg: "video/mpeg",
  ts: "video/mp2t",
};

/** The type to declare for a video: the browser's, else the one its extension names; null if not a video. */
export function videoType(file: { name: string; type: string }): string | null {
  if (file.type.startsWith("video/")) return file.type;
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  return VIDEO_EXTENSIONS[extension] ?? null;
}

/** Why a file cannot be this session's video, or null. */
export function videoProblem(file: { name: string; type: string; size: number }): string | null {
  if (file.size === 0) return "This file is empty.";
  if (file.size > MAX_VIDEO_BYTES) return "This video is larger than 2 GB.";
  if (!videoType(file)) return "This is not a video. Choose an MP4, QuickTime, WebM or MPEG file.";
  return null;
}

type State =
  | { step: "idle" }
  | { step: "sending"; file: File; sent: number }
  | { step: "stopped"; file: File; target: UploadUrl; type: string; kept: number; reason: string }
  | { step: "done"; name: string; size: number };

export function VideoUpload({ session }: { session: SessionPublic }) {
  const [state, setState] = useState<State>({ step: "idle" });
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);
  const busy = state.step === "sending";

  const send = async (file: File, target: UploadUrl, type: string, from: number) => {
    const controller = new AbortController();
    running.current = controller;
    setState({ step: "sending", file, sent: from });
    try {
      await uploadResumable(target.uploadUrl, file, {
        contentType: type,
        from,
        signal: controller.signal,
        onProgress: (sent) => setState({ step: "sending", file, sent }),
      });
      setState({ step: "done", name: file.name, size: file.size });
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) {
        if (running.current === controller) setState({ step: "idle" });
        return;
      }
      const stopped = error instanceof UploadStopped ? error : null;
      setState({
        step: "stopped",
        file,
        target,
        type,
        kept: stopped?.kept ?? from,
        reason: stopped?.message ?? "The upload stopped.",
      });
    } finally {
      if (running.current === controller) running.current = null;
    }
  };

  const start = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (running.current) return;
    const form = event.currentTarget;
    setFormError(undefined);
    const input = form.elements.namedItem("video");
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    if (!file) return setFieldError("Choose a video file.");
    const problem = videoProblem(file);
    const type = videoType(file);
    if (problem || !type) return setFieldError(problem ?? "This is not a video.");
    setFieldError(undefined);
    setState({ step: "sending", file, sent: 0 });
    let target: UploadUrl;
    try {
      // The API checks the name, type and size before a byte is sent, and names what is wrong.
      target = await api.post<UploadUrl>(`/api/sessions/${encodeURIComponent(session.sessionId)}/upload`, {
        fileName: file.name,
        contentType: type,
        size: file.size,
        kind: "video",
      });
    } catch (error) {
      setState({ step: "idle" });
      if (isAbort(error)) return;
      if (error instanceof ApiError && error.errors.length > 0) {
        setFieldError(error.errors.map((e) => e.message).join(" "));
      } else {
        setFormError(error instanceof Error ? error.message : "The upload could not start.");
      }
      return;
    }
    await send(file, target, type, 0);
    // Sent (or stopped, with "Try again" holding the file): the input is free for another video.
    form.reset();
  };

  const retry = () => {
    if (state.step !== "stopped") return;
    // A session URL that lapsed cannot go on: start afresh with a new one.
    if (new Date(state.target.expiresAt).getTime() <= Date.now()) {
      setState({ step: "idle" });
      setFormError("The upload link has expired. Choose the file and upload it again.");
      return;
    }
    void send(state.file, state.target, state.type, state.kept);
  };

  const size =
    state.step === "sending" || state.step === "stopped"
      ? state.file.size
      : state.step === "done"
        ? state.size
        : 0;
  const sent =
    state.step === "sending"
      ? state.sent
      : state.step === "stopped"
        ? state.kept
        : state.step === "done"
          ? state.size
          : 0;
  const percent = size ? Math.floor((sent * 100) / size) : 0;

  return (
    <section className={styles.card} aria-labelledby="video-title">
      <h2 id="video-title">{session.videoName ? "Replace the video" : "Upload a video"}</h2>
      {session.videoName && (
        <p>
          The session's video is {session.originalVideoName || session.videoName}. A new upload replaces it
          and its analysis.
        </p>
      )}
      <form
        className={styles.uploadForm}
        aria-labelledby="video-title"
        noValidate
        onSubmit={start}
        onChange={() => {
          setFieldError(undefined);
          setFormError(undefined);
          if (state.step === "done") setState({ step: "idle" });
        }}
      >
        <fieldset className={styles.fieldset} disabled={busy}>
          <Field
            label="Video file"
            name="video"
            type="file"
            accept="video/*,.mp4,.m4v,.mov,.webm,.mkv,.mpg,.mpeg,.ts"
            hint="MP4, QuickTime, WebM or MPEG, up to 2 GB and 10 minutes."
            error={fieldError}
          />
          <FormError>{formError}</FormError>
          <div className={styles.actions}>
            <Button type="submit" busy={busy} busyLabel="Uploading…">
              Upload video
            </Button>
          </div>
        </fieldset>
      </form>
      {state.step !== "idle" && (
        <div className={styles.progress}>
          <progress max={100} value={percent} aria-label="Upload progress">
            {formatPercent(percent)}
          </progress>
          <p aria-live="polite">
            {{ sending: "Uploading", stopped: "Stopped at", done: "Uploaded" }[state.step]}{" "}
            {formatPercent(percent)} ({formatFileSize(sent)} of {formatFileSize(size)})
          </p>
        </div>
      )}
      {state.step === "sending" && (
        <div className={styles.actions}>
          <Button variant="secondary" onClick={() => running.current?.abort()}>
            Cancel upload
          </Button>
        </div>
      )}
      {state.step === "stopped" && (
        <>
          <Notice tone="danger">
            {state.reason} Your connection may have dropped; try again to go on from here.
          </Notice>
          <div className={styles.actions}>
            <Button onClick={retry}>Try again</Button>
          </div>
        </>
      )}
      {state.step === "done" && (
        <Notice tone="success">
          Uploaded {state.name}. The analysis starts on its own; it shows below as it runs.
        </Notice>
      )}
    </section>
  );
}
