// The analysis's series in words with units (the names the session page uses: format.ts for
// motion energy, poseWords.ts for the body angles), their scale (brightness levels or degrees), the
// order they are listed in, and which are drawn at first.
import { formatNumber } from "../../format";
import { poseMeasureLabel } from "../sessions/poseWords";
import { formatVideoTime } from "./playback";

export type Scale = "levels" | "degrees" | "other";

export interface SeriesName {
  name: string;
  /** In words, with the unit: "Change between frames (of 255 levels)", "Left knee flexion (°)". */
  label: string;
  /** The label without the unit, for a legend beside an axis that says it. */
  short: string;
  scale: Scale;
}

/** "someNewMeasure" → "Some new measure": a series the app does not know yet still gets words. */
function words(name: string): string {
  const text = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function seriesName(name: string): SeriesName {
  if (name === "motionEnergy") {
    const short = "Change between frames";
    return { name, short, label: `${short} (of 255 levels)`, scale: "levels" };
  }
  const pose = poseMeasureLabel(name);
  if (pose) return { name, short: pose, label: `${pose} (°)`, scale: "degrees" };
  const short = words(name);
  return { name, short, label: short, scale: "other" };
}

const ORDER = [
  "motionEnergy",
  "leftKneeFppa",
  "rightKneeFppa",
  "leftKneeFlexion",
  "rightKneeFlexion",
  "leftHipFlexion",
  "rightHipFlexion",
  "trunkLean",
  "leftShoulderAbduction",
  "rightShoulderAbduction",
  "leftElbowFlexion",
  "rightElbowFlexion",
];

/** The series present, in the session page's order (motion, then lower limb first), unknown last. */
export function orderedSeries(names: readonly string[]): SeriesName[] {
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map(seriesName);
}

/** Whether a series has anything to draw (a value that is a number). */
export function hasValues(values: readonly (number | null | undefined)[]): boolean {
  return values.some((value) => typeof value === "number");
}

/** The series drawn at first: motion, and the two other series measured most often (three lines
 * at most, so the chart stays readable on a phone), in the list's order; the others are a tick
 * away. `measured` counts a series' values (0: nothing to draw). */
export function initiallyShown(names: readonly SeriesName[], measured: (name: string) => number): string[] {
  const drawable = names.filter((series) => measured(series.name) > 0);
  const withMotion = drawable.some((series) => series.name === "motionEnergy");
  const others = drawable
    .filter((series) => series.name !== "motionEnergy")
    .map((series, index) => ({ name: series.name, count: measured(series.name), index }))
    .sort((a, b) => b.count - a.count || a.index - b.index)
    .slice(0, withMotion ? 2 : 3)
    .map((series) => series.name);
  return drawable
    .map((series) => series.name)
    .filter((name) => name === "motionEnergy" || others.includes(name));
}

/** How many values of a series are numbers. */
export function countValues(values: readonly (number | null | undefined)[]): number {
  return values.reduce<number>((sum, value) => sum + (typeof value === "number" ? 1 : 0), 0);
}

/** A value as the chart's readout says it: "12.4 of 255 levels", "92°". */
export function formatSeriesValue(scale: Scale, value: number | null | undefined, locale?: string): string {
  if (typeof value !== "number") return "not measured";
  if (scale === "levels") return `${formatNumber(value, 1, { locale })} of 255 levels`;
  if (scale === "degrees") return `${formatNumber(Math.round(value), 0, { locale })}°`;
  return formatNumber(value, 2, { locale });
}

/** The chart's x axis: seconds as a clock ("0:04"); tenths when the steps are under a second. */
export function axisTime(seconds: number, step: number): string {
  return formatVideoTime(seconds, { tenths: step < 1 });
}
