// Which files a session takes as attachments (docs/api.md, "Uploads and analysis"; the types of
// functions/sessionbase/domain/attachments.py), and the content type to declare for one.

/** At most 100 MB (DESIGN §4; storage.rules' maxAttachmentBytes). */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

// The declared types the API accepts for an attachment, by the extensions a file may carry.
const TYPES: Record<string, string> = {
  pdf: "application/pdf",
  mp4: "video/mp4",
  m4v: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  qt: "video/quicktime",
  mpg: "video/mpeg",
  mpeg: "video/mpeg",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  weba: "audio/webm",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

const ALSO_ACCEPTED = ["audio/mp3", "audio/x-wav", "audio/wave"];
const DECLARED = new Set([...Object.values(TYPES), ...ALSO_ACCEPTED]);

/** The file input's `accept`: every extension and type above. */
export const ACCEPT = [...Object.keys(TYPES).map((ext) => `.${ext}`), ...DECLARED].join(",");

/** What the upload form says it takes. */
export const ACCEPTED_WORDS =
  "PDF, video (MP4, WebM, QuickTime, MPEG), audio (MP3, WAV, WebM), Word, Excel, PNG, JPEG, GIF or WebP";

/**
 * The content type to declare for a file: the browser's when the API accepts it, else the one
 * its extension names (browsers leave `.doc` or `.weba` untyped); null for a file it does not take.
 */
export function declaredType(file: { name: string; type: string }): string | null {
  if (DECLARED.has(file.type)) return file.type;
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  return TYPES[extension] ?? null;
}

/** Why a file cannot be attached, or null when it may be. */
export function attachmentProblem(file: { name: string; type: string; size: number }): string | null {
  if (file.size === 0) return "This file is empty.";
  if (file.size > MAX_ATTACHMENT_BYTES) return "This file is larger than 100 MB.";
  if (!declaredType(file)) return `This kind of file cannot be attached. Choose ${ACCEPTED_WORDS}.`;
  return null;
}
