// A session's pose block (the body angles the built-in analyzer measured from the video's
// keypoints, docs/decisions.md "Pose measurements") in words a coach can act on: each measure
// measured with its peak, the moment of the peak and its range of motion; the left–right
// differences; how the clip was filmed and how much of it was measured; and what the figures are
// (2-D angles from the picture, a screening figure). Measures never measured are left out and
// named once. Degrees are rounded to whole degrees, times to 0.1 s, in the person's locale.
import type { PoseAsymmetryName, PoseBlock, PoseMeasureName, PoseMeasureSummary } from "../../api/types";
import { formatCount, formatNumber, formatPercent } from "../../format";

export interface PoseRow {
  key: string;
  label: string;
  value: string;
}

export interface PoseWords {
  /** Sentences about the recording: the view, the person, the sampling rate. */
  about: string[];
  /** Set when the angles cover only the first part of the video. */
  partial: string | null;
  /** Set when nothing at all was measured (then `measures` is empty), saying why. */
  empty: string | null;
  /** One row a measure measured, in the order below. */
  measures: PoseRow[];
  /** One row a left/right pair with both sides measured: the difference of their peaks, said
   * under a heading of its own ("Left–right differences"). */
  asymmetry: PoseRow[];
  /** One sentence naming the measures that could not be measured, when some could be. */
  unseen: string | null;
  /** What the figures are; always said. */
  notes: string[];
}

type Side = "Left" | "Right";

interface MeasureSpec {
  name: PoseMeasureName;
  /** The measure in words, without its side ("knee flexion"). */
  what: string;
  side?: Side;
}

// Lower limb first (landings, squats, cutting: what a coach screens), then the trunk and arms.
const MEASURES: MeasureSpec[] = [
  { name: "leftKneeFppa", what: "knee valgus (FPPA)", side: "Left" },
  { name: "rightKneeFppa", what: "knee valgus (FPPA)", side: "Right" },
  { name: "leftKneeFlexion", what: "knee flexion", side: "Left" },
  { name: "rightKneeFlexion", what: "knee flexion", side: "Right" },
  { name: "leftHipFlexion", what: "hip flexion", side: "Left" },
  { name: "rightHipFlexion", what: "hip flexion", side: "Right" },
  { name: "trunkLean", what: "trunk lean" },
  { name: "leftShoulderAbduction", what: "shoulder abduction", side: "Left" },
  { name: "rightShoulderAbduction", what: "shoulder abduction", side: "Right" },
  { name: "leftElbowFlexion", what: "elbow flexion", side: "Left" },
  { name: "rightElbowFlexion", what: "elbow flexion", side: "Right" },
];

const PAIRS: { name: PoseAsymmetryName; what: string }[] = [
  { name: "kneeFppa", what: "knee valgus (FPPA)" },
  { name: "kneeFlexion", what: "knee flexion" },
  { name: "hipFlexion", what: "hip flexion" },
  { name: "shoulderAbduction", what: "shoulder abduction" },
  { name: "elbowFlexion", what: "elbow flexion" },
];

const VIEW = {
  frontal: "Filmed from the front or back.",
  side: "Filmed from the side.",
  unknown: "View not clear: neither square from the front or back nor from the side.",
} as const;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A measure's name in words ("Left knee flexion"), or null for a name this module does not know. */
export function poseMeasureLabel(name: string): string | null {
  const spec = MEASURES.find((measure) => measure.name === name);
  if (!spec) return null;
  return capitalise(spec.side ? `${spec.side} ${spec.what}` : spec.what);
}

/** Whole degrees: "14°", "-3°" (never "-0°"). */
export function formatDegrees(value: number, locale?: string): string {
  return `${formatNumber(Math.round(value), 0, { locale })}°`;
}

/** A moment of the video to 0.1 s: "2.4 s", "2.0 s". */
export function formatSeconds(value: number, locale?: string): string {
  return `${formatNumber(value, 1, { fixed: true, locale })} s`;
}

function measured(summary: PoseMeasureSummary | undefined): summary is PoseMeasureSummary & { peak: number } {
  return summary !== undefined && summary.samples > 0 && typeof summary.peak === "number";
}

/** What a peak's sign means, where it means something: the lean's direction, a varus knee. */
function qualifier(name: PoseMeasureName, peak: number): string {
  const whole = Math.round(peak);
  if (name === "trunkLean") {
    if (whole === 0) return " (upright)";
    return whole > 0 ? " (leaning to the image's right)" : " (leaning to the image's left)";
  }
  // FPPA is + valgus, − varus; its peak is the largest value, so a negative peak means the knee
  // never came inside the hip–ankle line.
  if ((name === "leftKneeFppa" || name === "rightKneeFppa") && whole < 0) {
    return " (varus: the knee stayed outside the hip–ankle line)";
  }
  return "";
}

function measureValue(
  name: PoseMeasureName,
  summary: PoseMeasureSummary & { peak: number },
  locale?: string,
) {
  const at = typeof summary.peakTime === "number" ? ` at ${formatSeconds(summary.peakTime, locale)}` : "";
  const range =
    typeof summary.rangeOfMotion === "number"
      ? `, range of motion ${formatDegrees(summary.rangeOfMotion, locale)}`
      : "";
  return `Peak ${formatDegrees(summary.peak, locale)}${at}${qualifier(name, summary.peak)}${range}`;
}

/** "left and right elbow flexion, right hip flexion, trunk lean": a pair missing on both sides once. */
function missingList(missing: MeasureSpec[]): string {
  const names = new Set(missing.map((spec) => spec.name));
  const said = new Set<string>();
  const parts: string[] = [];
  for (const spec of missing) {
    if (said.has(spec.what)) continue;
    const both = MEASURES.filter((other) => other.what === spec.what && other.side);
    if (spec.side && both.every((other) => names.has(other.name))) {
      parts.push(`left and right ${spec.what}`);
      said.add(spec.what);
    } else {
      parts.push(spec.side ? `${spec.side.toLowerCase()} ${spec.what}` : spec.what);
    }
  }
  return parts.join(", ");
}

function emptyReason(pose: PoseBlock): string {
  if (pose.frames === 0) return "No body angles were measured: no frames of the video were sampled.";
  if (pose.personFraction === 0) return "No body angles were measured: no person was found in the video.";
  return "No body angles were measured: the joints were not seen clearly enough.";
}

/** The pose block in words and units (see the module's comment). */
export function poseWords(pose: PoseBlock, locale?: string): PoseWords {
  const about: string[] = [VIEW[pose.view] ?? VIEW.unknown];
  if (typeof pose.personFraction === "number" && pose.frames > 0) {
    const share = formatPercent(pose.personFraction, { fraction: true, locale });
    about.push(`Person seen in ${share} of ${formatCount(pose.frames, "frame", "frames", locale)}.`);
  }
  if (typeof pose.sampleRate === "number" && pose.sampleRate > 0) {
    about.push(`Measured at up to ${formatNumber(pose.sampleRate, 1, { locale })} frames a second.`);
  }

  let partial: string | null = null;
  if (pose.complete === false) {
    const upTo =
      typeof pose.measuredSeconds === "number"
        ? `only the first ${formatSeconds(pose.measuredSeconds, locale)} of the video`
        : "only part of the video";
    partial = `The body angles cover ${upTo}: the time allowed for measuring them ran out.`;
  }

  const measures: PoseRow[] = [];
  const missing: MeasureSpec[] = [];
  for (const spec of MEASURES) {
    const summary = pose.measures[spec.name];
    if (!measured(summary)) {
      missing.push(spec);
      continue;
    }
    const label = capitalise(spec.side ? `${spec.side} ${spec.what}` : spec.what);
    measures.push({ key: spec.name, label, value: measureValue(spec.name, summary, locale) });
  }

  const asymmetry: PoseRow[] = [];
  for (const pair of PAIRS) {
    const difference = pose.asymmetry?.[pair.name];
    const sides = MEASURES.filter((spec) => spec.what === pair.what && spec.side);
    if (typeof difference !== "number" || !sides.every((spec) => measured(pose.measures[spec.name])))
      continue;
    asymmetry.push({
      key: pair.name,
      label: capitalise(pair.what),
      value: `${formatDegrees(difference, locale)} between the left and right peaks`,
    });
  }

  const nothing = measures.length === 0;
  return {
    about,
    partial,
    empty: nothing ? emptyReason(pose) : null,
    measures,
    asymmetry,
    unseen: !nothing && missing.length > 0 ? `Could not be measured: ${missingList(missing)}.` : null,
    notes: [
      "Knee valgus (FPPA) is the knee's angle in the picture, positive when the knee comes inside the " +
        "hip–ankle line (valgus), negative outside (varus); it is measured only in frames filmed from " +
        "the front or back.",
      "Flexion is 0° with the joint straight and 90° at a right angle; shoulder abduction is 0° with " +
        "the arm along the body and 180° overhead; trunk lean is 0° upright.",
      `These are 2-D angles estimated from the picture${pose.model ? ` by ${pose.model}` : ""}: a ` +
        "screening figure to look at with the video, not a diagnosis. They assume the whole body is " +
        "in the picture: where a joint is out of frame or hidden, the model's guess can be measured too.",
    ],
  };
}
