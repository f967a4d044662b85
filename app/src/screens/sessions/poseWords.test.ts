import { describe, expect, it } from "vitest";
import type { PoseBlock, PoseMeasureName, PoseMeasureSummary } from "../../api/types";
import { formatDegrees, formatSeconds, poseWords } from "./poseWords";

const NONE: PoseMeasureSummary = { peak: null, peakTime: null, rangeOfMotion: null, samples: 0 };
const NAMES: PoseMeasureName[] = [
  "leftKneeFlexion",
  "rightKneeFlexion",
  "leftHipFlexion",
  "rightHipFlexion",
  "leftElbowFlexion",
  "rightElbowFlexion",
  "leftShoulderAbduction",
  "rightShoulderAbduction",
  "leftKneeFppa",
  "rightKneeFppa",
  "trunkLean",
];

const m = (peak: number, peakTime: number, rangeOfMotion: number, samples = 140): PoseMeasureSummary => ({
  peak,
  peakTime,
  rangeOfMotion,
  samples,
});

/** A frontal landing, everything seen: the block as the analyzer stores it. */
function landing(overrides: Partial<PoseBlock> = {}): PoseBlock {
  return {
    model: "MediaPipe Pose (BlazePose GHUM, full), mediapipe 0.10.14",
    sampleRate: 15,
    complete: true,
    measuredSeconds: 9.933,
    frames: 150,
    personFraction: 0.987,
    view: "frontal",
    views: { frontal: 140, side: 0, unknown: 8 },
    measures: {
      leftKneeFlexion: m(92.4, 2.4, 85.1),
      rightKneeFlexion: m(86.2, 2.467, 80.3),
      leftHipFlexion: m(71.0, 2.4, 60.2),
      rightHipFlexion: m(69.6, 2.4, 58.9),
      leftElbowFlexion: m(40.2, 1.0, 30.0),
      rightElbowFlexion: m(38.5, 1.0, 29.4),
      leftShoulderAbduction: m(35.4, 1.2, 20.0),
      rightShoulderAbduction: m(33.1, 1.2, 19.7),
      leftKneeFppa: m(14.3, 2.4, 17.6, 120),
      rightKneeFppa: m(6.1, 2.533, 9.0, 120),
      trunkLean: m(-8.6, 2.6, 12.4),
    },
    asymmetry: {
      kneeFlexion: 6.2,
      hipFlexion: 1.4,
      elbowFlexion: 1.7,
      shoulderAbduction: 2.3,
      kneeFppa: 8.2,
    },
    ...overrides,
  };
}

const row = (rows: { key: string; label: string; value: string }[], key: string) =>
  rows.find((r) => r.key === key);

describe("poseWords", () => {
  it("says each measure with its peak, the moment and the range, valgus first", () => {
    const words = poseWords(landing(), "en-GB");
    expect(words.measures[0]).toEqual({
      key: "leftKneeFppa",
      label: "Left knee valgus (FPPA)",
      value: "Peak 14° at 2.4 s, range of motion 18°",
    });
    expect(row(words.measures, "rightKneeFlexion")).toEqual({
      key: "rightKneeFlexion",
      label: "Right knee flexion",
      value: "Peak 86° at 2.5 s, range of motion 80°",
    });
    expect(words.measures.map((r) => r.label)).toEqual([
      "Left knee valgus (FPPA)",
      "Right knee valgus (FPPA)",
      "Left knee flexion",
      "Right knee flexion",
      "Left hip flexion",
      "Right hip flexion",
      "Trunk lean",
      "Left shoulder abduction",
      "Right shoulder abduction",
      "Left elbow flexion",
      "Right elbow flexion",
    ]);
    expect(words.unseen).toBeNull();
    expect(words.empty).toBeNull();
    expect(words.partial).toBeNull();
  });

  it("says the recording: view, person, rate", () => {
    expect(poseWords(landing(), "en-GB").about).toEqual([
      "Filmed from the front or back.",
      "Person seen in 99 % of 150 frames.",
      "Measured at up to 15 frames a second.",
    ]);
  });

  it("says the left–right differences of the peaks", () => {
    const words = poseWords(landing(), "en-GB");
    expect(words.asymmetry.map((r) => [r.label, r.value])).toEqual([
      ["Knee valgus (FPPA)", "8° between the left and right peaks"],
      ["Knee flexion", "6° between the left and right peaks"],
      ["Hip flexion", "1° between the left and right peaks"],
      ["Shoulder abduction", "2° between the left and right peaks"],
      ["Elbow flexion", "2° between the left and right peaks"],
    ]);
  });

  it("says which way the trunk leans, in the image's terms", () => {
    const lean = (peak: number) =>
      row(poseWords(landing({ measures: { trunkLean: m(peak, 3.05, 12) } }), "en-GB").measures, "trunkLean")
        ?.value;
    expect(lean(-8.6)).toBe("Peak -9° at 3.1 s (leaning to the image's left), range of motion 12°");
    expect(lean(11.5)).toBe("Peak 12° at 3.1 s (leaning to the image's right), range of motion 12°");
    expect(lean(0.4)).toBe("Peak 0° at 3.1 s (upright), range of motion 12°");
    expect(lean(-0.4)).toBe("Peak 0° at 3.1 s (upright), range of motion 12°");
  });

  it("says a knee that never came inside the line is varus", () => {
    const words = poseWords(landing({ measures: { leftKneeFppa: m(-3.2, 1.5, 4) } }), "en-GB");
    expect(row(words.measures, "leftKneeFppa")?.value).toBe(
      "Peak -3° at 1.5 s (varus: the knee stayed outside the hip–ankle line), range of motion 4°",
    );
  });

  it("leaves out measures never measured (null peaks, no samples) and names them once", () => {
    const measures = Object.fromEntries(NAMES.map((name) => [name, NONE]));
    const words = poseWords(
      landing({
        view: "side",
        views: { frontal: 0, side: 130, unknown: 10 },
        measures: {
          ...measures,
          leftKneeFlexion: m(95, 2.4, 88),
          rightKneeFlexion: m(91, 2.4, 84),
          leftHipFlexion: m(80, 2.3, 70),
          trunkLean: m(22, 2.5, 25),
          // A peak without samples, and samples without a peak: neither was measured.
          rightHipFlexion: { peak: 10, peakTime: 1, rangeOfMotion: 0, samples: 0 },
          leftElbowFlexion: { peak: null, peakTime: null, rangeOfMotion: null, samples: 3 },
        },
        asymmetry: {
          kneeFlexion: 4,
          hipFlexion: null,
          elbowFlexion: null,
          shoulderAbduction: null,
          kneeFppa: null,
        },
      }),
      "en-GB",
    );
    expect(words.about[0]).toBe("Filmed from the side.");
    expect(words.measures.map((r) => r.key)).toEqual([
      "leftKneeFlexion",
      "rightKneeFlexion",
      "leftHipFlexion",
      "trunkLean",
    ]);
    expect(words.asymmetry.map((r) => r.key)).toEqual(["kneeFlexion"]);
    expect(words.unseen).toBe(
      "Could not be measured: left and right knee valgus (FPPA), right hip flexion, " +
        "left and right shoulder abduction, left and right elbow flexion.",
    );
    expect(words.notes.join(" ")).toContain("measured only in frames filmed from the front or back");
  });

  it("says the pose covers only part of the video when its time ran out", () => {
    expect(poseWords(landing({ complete: false, measuredSeconds: 6.18 }), "en-GB").partial).toBe(
      "The body angles cover only the first 6.2 s of the video: the time allowed for measuring them ran out.",
    );
    expect(poseWords(landing({ complete: false, measuredSeconds: null }), "en-GB").partial).toContain(
      "only part of the video",
    );
    // A block from before the field existed is not called partial.
    expect(poseWords(landing({ complete: undefined }), "en-GB").partial).toBeNull();
  });

  it("says why nothing was measured, instead of a list of everything", () => {
    const measures = Object.fromEntries(NAMES.map((name) => [name, NONE]));
    const nobody = poseWords(
      landing({ personFraction: 0, view: "unknown", measures, asymmetry: {} }),
      "en-GB",
    );
    expect(nobody.measures).toEqual([]);
    expect(nobody.unseen).toBeNull();
    expect(nobody.empty).toBe("No body angles were measured: no person was found in the video.");
    expect(nobody.about[0]).toBe("View not clear: neither square from the front or back nor from the side.");
    const noFrames = poseWords(landing({ frames: 0, personFraction: null, measures: {} }), "en-GB");
    expect(noFrames.empty).toBe("No body angles were measured: no frames of the video were sampled.");
    expect(noFrames.about).toEqual([
      "Filmed from the front or back.",
      "Measured at up to 15 frames a second.",
    ]);
  });

  it("says what the figures are: 2-D, from the picture, a screening figure", () => {
    const notes = poseWords(landing(), "en-GB").notes.join(" ");
    expect(notes).toContain("2-D angles estimated from the picture by MediaPipe Pose");
    expect(notes).toContain("not a diagnosis");
    expect(notes).toContain("whole body is in the picture");
  });

  it("follows the locale for numbers", () => {
    const words = poseWords(
      landing({ sampleRate: 12.5, measures: { leftKneeFlexion: m(92.4, 2.4, 85.1) } }),
      "de-DE",
    );
    expect(row(words.measures, "leftKneeFlexion")?.value).toBe("Peak 92° at 2,4 s, range of motion 85°");
    expect(words.about).toContain("Measured at up to 12,5 frames a second.");
  });
});

describe("degrees and seconds", () => {
  it("rounds degrees to whole ones and never says -0", () => {
    expect(formatDegrees(14.49, "en-GB")).toBe("14°");
    expect(formatDegrees(-0.3, "en-GB")).toBe("0°");
    expect(formatDegrees(-2.6, "en-GB")).toBe("-3°");
  });

  it("says a moment to 0.1 s, always with its tenth", () => {
    expect(formatSeconds(2, "en-GB")).toBe("2.0 s");
    expect(formatSeconds(2.449, "en-GB")).toBe("2.4 s");
  });
});
