// "Download my data": what the newest export job means to its person, in words.
import type { DataExportPublic } from "../../api/types";
import { type DateOptions, formatFileSize, formatWhenInSentence } from "../../format";

/** Poll while the task works: queued or running. */
export const working = (job: DataExportPublic | null | undefined): boolean =>
  job?.status === "queued" || job?.status === "running";

/** True when the ZIP is there to download (done, not past its 7 days). */
export function downloadable(job: DataExportPublic, now = new Date()): boolean {
  if (job.status !== "done") return false;
  return !job.expiresAt || Date.parse(job.expiresAt) > now.getTime();
}

/** One sentence about the job. */
export function exportWords(job: DataExportPublic, options: DateOptions = {}): string {
  const asked = formatWhenInSentence(job.createdAt, options);
  switch (job.status) {
    case "queued":
      return `Asked ${asked}: waiting to start. This page follows it; you are also told when it is ready.`;
    case "running":
      return `Asked ${asked}: being put together now. This page follows it; you are also told when it is ready.`;
    case "failed":
      return `The copy asked ${asked} could not be made${job.error ? ` (${job.error})` : ""}. Ask again.`;
    case "done": {
      const size = typeof job.size === "number" ? `, ${formatFileSize(job.size, options.locale)}` : "";
      if (!downloadable(job, options.now)) {
        return `The copy made ${formatWhenInSentence(job.finishedAt ?? job.createdAt, options)} is no longer kept. Ask for a new one.`;
      }
      return `Ready (a ZIP file${size}). It is kept until ${formatWhenInSentence(job.expiresAt, options)}.`;
    }
  }
}
