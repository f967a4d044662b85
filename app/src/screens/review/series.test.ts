import { describe, expect, it } from "vitest";
import {
  axisTime,
  countValues,
  formatSeriesValue,
  initiallyShown,
  orderedSeries,
  seriesName,
} from "./series";

describe("the analysis's series in words", () => {
  it("names them with their units, as the session page does", () => {
    expect(seriesName("motionEnergy").label).toBe("Change between frames (of 255 levels)");
    expect(seriesName("leftKneeFlexion")).toMatchObject({ label: "Left knee flexion (°)", scale: "degrees" });
    expect(seriesName("trunkLean").label).toBe("Trunk lean (°)");
    expect(seriesName("rightKneeFppa").short).toBe("Right knee valgus (FPPA)");
    expect(seriesName("someNewThing")).toMatchObject({ label: "Some new thing", scale: "other" });
  });

  it("lists motion first, then the lower limb, unknown names last", () => {
    const names = orderedSeries(["trunkLean", "zeta", "leftKneeFlexion", "motionEnergy", "leftKneeFppa"]);
    expect(names.map((n) => n.name)).toEqual([
      "motionEnergy",
      "leftKneeFppa",
      "leftKneeFlexion",
      "trunkLean",
      "zeta",
    ]);
  });

  it("draws motion and the two series measured most at first, in the list's order", () => {
    const names = orderedSeries([
      "motionEnergy",
      "leftKneeFppa",
      "leftKneeFlexion",
      "rightKneeFlexion",
      "trunkLean",
    ]);
    const counts: Record<string, number> = {
      motionEnergy: 75,
      leftKneeFppa: 3,
      leftKneeFlexion: 40,
      trunkLean: 45,
    };
    expect(initiallyShown(names, (name) => counts[name] ?? 0)).toEqual([
      "motionEnergy",
      "leftKneeFlexion",
      "trunkLean",
    ]);
    // Without motion, three body angles; ties keep the list's order.
    const angles = orderedSeries(["trunkLean", "leftKneeFppa", "rightKneeFppa", "leftHipFlexion"]);
    expect(initiallyShown(angles, () => 5)).toEqual(["leftKneeFppa", "rightKneeFppa", "leftHipFlexion"]);
    expect(countValues([1, null, 2, undefined])).toBe(2);
  });

  it("says values with units and the axis in clock time", () => {
    expect(formatSeriesValue("levels", 12.44, "en")).toBe("12.4 of 255 levels");
    expect(formatSeriesValue("degrees", 91.6, "en")).toBe("92°");
    expect(formatSeriesValue("degrees", null)).toBe("not measured");
    expect(axisTime(64, 2)).toBe("1:04");
    expect(axisTime(1.5, 0.5)).toBe("0:01.5");
  });
});
