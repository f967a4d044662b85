// A session's comments on its video (`sessions/{id}/comments`), live: readers of the session read
// them, nobody writes them directly (the API does). Ordered by the moment in the video; the ties
// (comments at the same moment) by when they were written, here, as the API orders them, so the
// query needs no index of two fields.
import {
  collection,
  type DocumentData,
  type Firestore,
  orderBy,
  type Query,
  query,
} from "firebase/firestore";
import type { Drawing, DrawingShape, SessionComment } from "../api/types";

type StoredPoint = { x: number; y: number } | [number, number];

/** A stored drawing as the API gives it: Firestore holds no array inside an array, so the document
 * keeps each point as `{x, y}`; the API (and the app) as `[x, y]`. */
export function drawingFrom(stored: unknown): Drawing | null {
  if (!stored || typeof stored !== "object") return null;
  const shapes = (stored as { shapes?: unknown }).shapes;
  if (!Array.isArray(shapes)) return null;
  return {
    shapes: shapes.map((shape: Omit<DrawingShape, "points"> & { points?: StoredPoint[] }) => ({
      ...shape,
      points: (shape.points ?? []).map((point): [number, number] =>
        Array.isArray(point) ? [point[0], point[1]] : [point.x, point.y],
      ),
    })),
  };
}

export const commentFrom = (id: string, data: DocumentData): SessionComment =>
  ({
    replyTo: null,
    editedAt: null,
    resolved: false,
    resolvedBy: null,
    resolvedAt: null,
    videoJobId: null,
    authorName: null,
    ...data,
    drawing: drawingFrom(data.drawing),
    commentId: id,
  }) as SessionComment;

export function sessionComments(db: Firestore, sessionId: string): Query {
  return query(collection(db, "sessions", sessionId, "comments"), orderBy("atMs"));
}

/** By moment, then by when written (the API's order). */
export function byMoment(a: SessionComment, b: SessionComment): number {
  return a.atMs - b.atMs || (a.createdAt ?? "").localeCompare(b.createdAt ?? "");
}

export interface CommentThread {
  comment: SessionComment;
  replies: SessionComment[];
}

/** Top-level comments by moment, each with its replies in the order written. A reply whose
 * comment is gone (deleted meanwhile) is not shown: the API deletes replies with their comment. */
export function threads(comments: readonly SessionComment[]): CommentThread[] {
  const top = comments.filter((comment) => !comment.replyTo).sort(byMoment);
  return top.map((comment) => ({
    comment,
    replies: comments
      .filter((reply) => reply.replyTo === comment.commentId)
      .sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? "")),
  }));
}

/** Written on a video since replaced: its job is not the session's current analysis job. */
export function onEarlierVideo(comment: SessionComment, currentJobId: string | null | undefined): boolean {
  if (comment.earlierVideo !== undefined) return comment.earlierVideo;
  return Boolean(comment.videoJobId && currentJobId && comment.videoJobId !== currentJobId);
}
