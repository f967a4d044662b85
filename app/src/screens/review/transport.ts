// Playing a session's video: its URL (GET /api/sessions/{id}/video, asked again before it expires
// or when the video fails), the playhead every part of the page follows (the time readout, the
// chart's line, the skeleton), and a transport the controls drive: one <video>, or two played
// together on a shared timeline (the compare page). Keys: "," and "." step a frame, "k" plays.
import {
  type RefObject,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from "react";
import { ApiError, api, isAbort } from "../../api";
import type { SessionVideo } from "../../api/types";
import { clipTime, sharedSpan, stepFrame } from "./playback";

// ---- the playhead ------------------------------------------------------------------------------

export interface PlayState {
  time: number;
  playing: boolean;
  /** seconds, once known */
  duration: number | null;
  rate: number;
}

/** The player's state as a small store: components that draw at every frame subscribe to it
 * (useSyncExternalStore) rather than re-render the whole page 30 times a second. */
export class Playhead {
  state: PlayState = { time: 0, playing: false, duration: null, rate: 1 };
  private listeners = new Set<() => void>();

  set(change: Partial<PlayState>): void {
    const next = { ...this.state, ...change };
    const same = (Object.keys(change) as (keyof PlayState)[]).every((key) => next[key] === this.state[key]);
    if (same) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): PlayState => this.state;
}

/** The player's state, rendering on every change. */
export function usePlayState(playhead: Playhead): PlayState {
  return useSyncExternalStore(playhead.subscribe, playhead.get);
}

/** The playhead's time, rounded down to `step` seconds: renders only when that changes. */
export function usePlayTime(playhead: Playhead, step: number): number {
  return useSyncExternalStore(playhead.subscribe, () => Math.floor(playhead.state.time / step + 1e-9) * step);
}

// ---- the video's URL ---------------------------------------------------------------------------

export type VideoAnswer =
  | { status: "loading" }
  | { status: "ready"; video: SessionVideo }
  | { status: "error"; error: ApiError };

// Asked again a minute before the URL expires (15 minutes, as attachments' downloads), and after a
// playback error at most once every 10 s (a broken file must not make it ask in a loop).
const RENEW_BEFORE_MS = 60_000;
const RENEW_AFTER_ERROR_MS = 10_000;

/** The session's video URL, renewed before it expires; `renew()` asks now (after a playback error)
 * and says whether it did. */
export function useSessionVideo(sessionId: string | null): { answer: VideoAnswer; renew: () => boolean } {
  const [answer, setAnswer] = useState<VideoAnswer>({ status: "loading" });
  const [asked, setAsked] = useState(0);
  const lastAsk = useRef(0);
  useEffect(() => {
    if (!sessionId) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    lastAsk.current = Date.now();
    api
      .get<SessionVideo>(`/api/sessions/${encodeURIComponent(sessionId)}/video`, {
        signal: controller.signal,
      })
      .then(
        (video) => {
          setAnswer({ status: "ready", video });
          const expires = Date.parse(video.expiresAt);
          if (Number.isFinite(expires)) {
            const wait = Math.max(5_000, expires - Date.now() - RENEW_BEFORE_MS);
            timer = setTimeout(() => setAsked((n) => n + 1), Math.min(wait, 2 ** 31 - 1));
          }
        },
        (error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          setAnswer({
            status: "error",
            error:
              error instanceof ApiError ? error : new ApiError(0, "unavailable", "Something went wrong."),
          });
        },
      );
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [sessionId, asked]);
  const renew = useCallback(() => {
    if (Date.now() - lastAsk.current < RENEW_AFTER_ERROR_MS) return false;
    setAsked((n) => n + 1);
    return true;
  }, []);
  return { answer, renew };
}

/**
 * Gives the <video> its URL, and a renewed one without losing the place: while it plays, at the next
 * pause (the browser has the bytes it buffered; a read past them after the old URL expired fails,
 * and that error swaps at once); when paused or after an error, at once, at the same time.
 */
export function useVideoSource(video: RefObject<HTMLVideoElement | null>, url: string | null): void {
  useEffect(() => {
    const element = video.current;
    if (!element || !url) return;
    if (!element.getAttribute("src")) {
      element.src = url;
      return;
    }
    if (element.src === url) return;
    const swap = () => {
      const time = element.currentTime;
      const playing = !element.paused && !element.ended && !element.error;
      const rate = element.playbackRate;
      element.addEventListener(
        "loadedmetadata",
        () => {
          element.currentTime = time;
          element.playbackRate = rate;
          if (playing) void element.play().catch(() => undefined);
        },
        { once: true },
      );
      element.src = url;
    };
    if (element.paused || element.error) {
      swap();
      return;
    }
    element.addEventListener("pause", swap, { once: true });
    return () => element.removeEventListener("pause", swap);
  }, [video, url]);
}

// ---- the transport -----------------------------------------------------------------------------

export interface Transport {
  playhead: Playhead;
  /** the frame rate frame steps use */
  fps: number;
  play(): void;
  pause(): void;
  toggle(): void;
  seek(time: number): void;
  /** −1 the previous frame, +1 the next (pauses) */
  step(delta: number): void;
  setRate(rate: number): void;
}

type FrameCallback = (now: number, metadata: { mediaTime: number }) => void;
type WithFrames = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: FrameCallback) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

/** Follows a <video> at each frame it presents while it plays (requestVideoFrameCallback, else
 * animation frames), and at each event otherwise. */
function follow(element: HTMLVideoElement, onFrame: (time: number) => void): () => void {
  const video = element as WithFrames;
  let handle = 0;
  let stopped = false;
  const tick: FrameCallback = (_now, metadata) => {
    if (stopped) return;
    onFrame(metadata.mediaTime ?? video.currentTime);
    schedule();
  };
  const schedule = () => {
    if (video.requestVideoFrameCallback) handle = video.requestVideoFrameCallback(tick);
    else handle = requestAnimationFrame(() => tick(0, { mediaTime: video.currentTime }));
  };
  schedule();
  return () => {
    stopped = true;
    if (video.cancelVideoFrameCallback) video.cancelVideoFrameCallback(handle);
    else cancelAnimationFrame(handle);
  };
}

/** One <video> as the transport: its events update the playhead. */
export function useVideoTransport(
  video: RefObject<HTMLVideoElement | null>,
  fps: number,
  knownDuration: number | null,
): Transport {
  const [playhead] = useState(() => new Playhead());
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const duration = () =>
      Number.isFinite(element.duration) && element.duration > 0 ? element.duration : knownDuration;
    const sync = () =>
      playhead.set({
        time: element.currentTime,
        playing: !element.paused && !element.ended,
        duration: duration(),
        rate: element.playbackRate,
      });
    sync();
    const events = [
      "play",
      "pause",
      "ended",
      "seeked",
      "seeking",
      "timeupdate",
      "loadedmetadata",
      "durationchange",
      "ratechange",
    ];
    for (const name of events) element.addEventListener(name, sync);
    const stop = follow(element, (time) => playhead.set({ time }));
    return () => {
      stop();
      for (const name of events) element.removeEventListener(name, sync);
    };
  }, [video, playhead, knownDuration]);

  return useMemo(() => {
    const element = () => video.current;
    const seek = (time: number) => {
      const target = element();
      if (!target) return;
      const end = playhead.state.duration;
      target.currentTime = Math.max(0, end ? Math.min(time, end) : time);
      playhead.set({ time: target.currentTime });
    };
    return {
      playhead,
      fps,
      play: () =>
        void element()
          ?.play()
          .catch(() => undefined),
      pause: () => element()?.pause(),
      toggle() {
        const target = element();
        if (!target) return;
        if (target.paused || target.ended) void target.play().catch(() => undefined);
        else target.pause();
      },
      seek,
      step(delta: number) {
        const target = element();
        if (!target) return;
        target.pause();
        seek(stepFrame(target.currentTime, fps, delta, playhead.state.duration));
      },
      setRate(rate: number) {
        const target = element();
        if (target) target.playbackRate = rate;
        playhead.set({ rate });
      },
    };
  }, [video, playhead, fps]);
}

/**
 * Two <video>s on one timeline (a's time base; b's time t at t + offset): a clock of its own runs
 * while playing and each video follows it, playing while the moment is inside its clip and waiting
 * on its first or last frame outside; one that drifts more than 0.15 s is put back. The clock
 * waits while a video that should play is still loading.
 */
export function useSharedTransport(
  a: RefObject<HTMLVideoElement | null>,
  b: RefObject<HTMLVideoElement | null>,
  offset: number,
  fps: number,
): Transport {
  const [playhead] = useState(() => new Playhead());
  const offsetRef = useRef(offset);
  offsetRef.current = offset;

  const place = useCallback(
    (time: number, playing: boolean) => {
      const pairs: [HTMLVideoElement | null, number][] = [
        [a.current, 0],
        [b.current, offsetRef.current],
      ];
      for (const [element, shift] of pairs) {
        if (!element || !Number.isFinite(element.duration)) continue;
        const at = clipTime(time, shift, element.duration);
        if (playing && at.inside) {
          if (Math.abs(element.currentTime - at.time) > 0.15) element.currentTime = at.time;
          element.playbackRate = playhead.state.rate;
          if (element.paused) void element.play().catch(() => undefined);
        } else {
          if (!element.paused) element.pause();
          if (Math.abs(element.currentTime - at.time) > 0.001) element.currentTime = at.time;
        }
      }
    },
    [a, b, playhead],
  );

  const span = useCallback(() => {
    const da = a.current?.duration;
    const db = b.current?.duration;
    if (!(Number.isFinite(da) && Number.isFinite(db))) return null;
    return sharedSpan(da as number, db as number, offsetRef.current);
  }, [a, b]);

  // Durations as they become known, and the place again when the offset changes.
  useEffect(() => {
    const update = () => {
      const known = span();
      playhead.set({ duration: known ? known.end : null });
      if (!playhead.state.playing) place(playhead.state.time, false);
    };
    update();
    const elements = [a.current, b.current].filter((e): e is HTMLVideoElement => e !== null);
    for (const element of elements) element.addEventListener("loadedmetadata", update);
    return () => {
      for (const element of elements) element.removeEventListener("loadedmetadata", update);
    };
  }, [a, b, playhead, place, span, offset]);

  // The clock, while playing.
  const playing = usePlayState(playhead).playing;
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let handle = requestAnimationFrame(function tick(now) {
      const known = span();
      const waiting = [a.current, b.current].some(
        (element) => element && !element.paused && element.readyState < HTMLMediaElement.HAVE_FUTURE_DATA,
      );
      const elapsed = waiting ? 0 : ((now - last) / 1000) * playhead.state.rate;
      last = now;
      const time = playhead.state.time + elapsed;
      if (known && time >= known.end) {
        playhead.set({ time: known.end, playing: false });
        place(known.end, false);
        return;
      }
      playhead.set({ time });
      place(time, true);
      handle = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(handle);
  }, [playing, a, b, playhead, place, span]);

  return useMemo(() => {
    const seek = (time: number) => {
      const known = span();
      const clamped = known ? Math.min(known.end, Math.max(known.start, time)) : Math.max(0, time);
      playhead.set({ time: clamped });
      place(clamped, playhead.state.playing);
    };
    const play = () => {
      const known = span();
      if (known && playhead.state.time >= known.end - 0.01) playhead.set({ time: known.start });
      playhead.set({ playing: true });
    };
    const pause = () => {
      playhead.set({ playing: false });
      place(playhead.state.time, false);
    };
    return {
      playhead,
      fps,
      play,
      pause,
      toggle: () => (playhead.state.playing ? pause() : play()),
      seek,
      step(delta: number) {
        pause();
        seek(stepFrame(playhead.state.time, fps, delta, null));
      },
      setRate: (rate: number) => playhead.set({ rate }),
    };
  }, [playhead, place, span, fps]);
}

/** "," and "." step a frame, "k" plays or pauses, anywhere on the page but in a text field. */
export function useTransportKeys(transport: Transport): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      const typing =
        target instanceof HTMLTextAreaElement ||
        target instanceof HTMLSelectElement ||
        target?.isContentEditable ||
        (target instanceof HTMLInputElement &&
          !["range", "checkbox", "radio", "button"].includes(target.type));
      if (typing) return;
      if (event.key === ",") transport.step(-1);
      else if (event.key === ".") transport.step(1);
      else if (event.key === "k" || event.key === "K") transport.toggle();
      else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [transport]);
}
