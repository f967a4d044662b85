// Check my pose: the athlete chooses or takes a photo, picks a pose (GET /api/poses), and sees how
// close it is (POST /api/analyze/{pose_name}, the photo as multipart `file`): the accuracy, what
// went well and what to improve, and the skeleton the model saw drawn over the photo. The poses
// checked in this visit can then be saved as one yoga session (POST /api/sessions, yoga body).
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { api } from "../../api";
import type {
  PoseAnalysis,
  PoseLandmark,
  PoseList,
  SessionCreated,
  YogaSessionCreate,
} from "../../api/types";
import { useApiGet } from "../../data/apiGet";
import { formatPercent } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { Loading } from "../../ui/Loading";
import { FormError, Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./pose.module.css";
import { skeleton } from "./skeleton";

const PHOTO_TYPES = "image/jpeg,image/png,image/webp";

interface Checked {
  analysis: PoseAnalysis;
  /** The object URL of the photo checked. */
  photo: string;
}

export default function PoseCheck() {
  const poses = useApiGet<PoseList>("/api/poses");
  const names = useMemo(() => {
    const list = poses.status === "ready" ? poses.data.poses : [];
    return new Map(list.map((pose) => [pose.key, `${pose.name} (${pose.sanskritName})`]));
  }, [poses]);
  const [photo, setPhoto] = useState<string | null>(null);
  const [latest, setLatest] = useState<Checked | null>(null);
  // The latest result of each pose checked in this visit, in the order first checked.
  const [visit, setVisit] = useState<PoseAnalysis[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const opened = useRef(Date.now());

  // The chosen photo is shown from memory (blob: URL, allowed by the CSP's img-src), freed when replaced.
  useEffect(() => () => void (photo && URL.revokeObjectURL(photo)), [photo]);

  const analyse = useCallback(async (data: FormData, signal: AbortSignal) => {
    const file = data.get("file");
    const pose = text(data, "pose");
    const fields: Record<string, string> = {};
    if (!(file instanceof File) || file.size === 0)
      fields.file = "Choose or take a photo of yourself in the pose.";
    if (!pose) fields.pose = "Pick the pose you are doing.";
    if (Object.keys(fields).length || !(file instanceof File)) throw new FormInvalid({ fields });
    const body = new FormData();
    body.append("file", file, file.name);
    return api.postForm<PoseAnalysis>(`/api/analyze/${encodeURIComponent(pose)}`, body, { signal });
  }, []);
  const onAnalysed = useCallback(
    (analysis: PoseAnalysis) => {
      if (photo) setLatest({ analysis, photo });
      setSaved(null);
      setVisit((before) => {
        const at = before.findIndex((p) => p.pose_name === analysis.pose_name);
        return at < 0 ? [...before, analysis] : before.map((p, i) => (i === at ? analysis : p));
      });
    },
    [photo],
  );
  const check = useForm({ submit: analyse, onDone: onAnalysed });

  const create = useMemo(() => api.creator<SessionCreated>("/api/sessions"), []);
  const saveVisit = useCallback(
    async (_: FormData, signal: AbortSignal) => {
      const minutes = Math.min(1440, Math.round((Date.now() - opened.current) / 6000) / 10);
      const average = visit.reduce((sum, p) => sum + p.accuracy, 0) / visit.length;
      const body: YogaSessionCreate = {
        duration: minutes,
        avg_accuracy: Math.round(average * 10) / 10,
        poses: visit.map((p) => ({
          pose_name: p.pose_name,
          accuracy: p.accuracy,
          feedback: p.feedback.slice(0, 50),
          improvements: p.improvements.slice(0, 50),
        })),
      };
      return create(body, { signal });
    },
    [visit, create],
  );
  const onSaved = useCallback((created: SessionCreated) => {
    setSaved(created.sessionId);
    setVisit([]);
    opened.current = Date.now();
  }, []);
  const save = useForm({ submit: saveVisit, onDone: onSaved });

  const shown = latest && latest.photo === photo ? latest.analysis : null;
  const poseName = (key: string) => names.get(key) ?? key;

  return (
    <Page
      title="Check my pose"
      back={
        <Link to="/home" className={styles.back}>
          ← Home
        </Link>
      }
    >
      <form className={styles.form} aria-label="Check a pose" {...check.formProps}>
        <fieldset className={styles.fieldset} disabled={check.submitting}>
          <Field
            label="Photo of you in the pose"
            name="file"
            type="file"
            accept={PHOTO_TYPES}
            capture="user"
            hint="A JPEG, PNG or WebP photo with your whole body in it."
            error={check.errors.fields.file}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              setPhoto(file ? URL.createObjectURL(file) : null);
            }}
          />
          <PosePicker poses={poses} error={check.errors.fields.pose} />
          <FormError>{check.errors.form}</FormError>
          <Button type="submit" busy={check.submitting} busyLabel="Checking…">
            Check pose
          </Button>
        </fieldset>
      </form>

      <div aria-live="polite" className={styles.accuracy}>
        {shown && `${poseName(shown.pose_name)}: ${formatPercent(shown.accuracy)} accuracy`}
      </div>

      {photo && (
        <figure className={styles.photo}>
          <Photo src={photo} landmarks={shown?.landmarks ?? []} />
        </figure>
      )}

      {shown && <Result analysis={shown} />}

      <section className={styles.section} aria-labelledby="visit-title">
        <h2 id="visit-title">Poses checked this visit</h2>
        {saved && (
          <Notice tone="success">
            Saved as a yoga session. <Link to={`/sessions/${saved}`}>Open the session</Link>
          </Notice>
        )}
        {visit.length === 0 ? (
          <p className={styles.muted}>None yet: check a pose, then save them as one yoga session.</p>
        ) : (
          <form aria-label="Save as yoga session" className={styles.card} {...save.formProps}>
            <ul className={styles.list}>
              {visit.map((p) => (
                <li key={p.pose_name}>
                  {poseName(p.pose_name)}: {formatPercent(p.accuracy)}
                </li>
              ))}
            </ul>
            <FormError>{save.errors.form ?? Object.values(save.errors.fields)[0]}</FormError>
            <div className={styles.actions}>
              <Button type="submit" busy={save.submitting} busyLabel="Saving…" disabled={save.submitting}>
                Save as yoga session
              </Button>
            </div>
          </form>
        )}
      </section>
    </Page>
  );
}

function PosePicker({
  poses,
  error,
}: {
  poses: ReturnType<typeof useApiGet<PoseList>>;
  error?: string | undefined;
}) {
  if (poses.status === "loading") return <Loading label="Loading the poses…" />;
  if (poses.status === "error") return <Notice tone="danger">{poses.error.message}</Notice>;
  return (
    <div className={styles.field}>
      <label htmlFor="pose" className={styles.label}>
        Pose
      </label>
      <select
        id="pose"
        name="pose"
        className={styles.select}
        defaultValue=""
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "pose-error" : undefined}
      >
        <option value="" disabled>
          Pick a pose
        </option>
        {poses.data.poses.map((pose) => (
          <option key={pose.key} value={pose.key}>
            {pose.name} ({pose.sanskritName})
          </option>
        ))}
      </select>
      {error && (
        <p id="pose-error" className={styles.error}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The photo with the skeleton over it, drawn in the photo's own pixels once it has loaded. */
function Photo({ src, landmarks }: { src: string; landmarks: readonly PoseLandmark[] }) {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const drawn = size ? skeleton(landmarks, size.width, size.height) : null;
  const stroke = size ? Math.max(size.width, size.height) / 120 : 0;
  return (
    <>
      <img
        src={src}
        alt={landmarks.length ? "Your photo, with the body the model found drawn over it" : "Your photo"}
        onLoad={(event) =>
          setSize({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })
        }
      />
      {size && drawn && drawn.points.length > 0 && (
        <svg viewBox={`0 0 ${size.width} ${size.height}`} aria-hidden="true" focusable="false">
          {drawn.lines.map(({ from, to }) => (
            <line
              key={`${from.index}-${to.index}`}
              className={styles.bone}
              x1={from.x}
              y1={from.y}
              x2={to.x}
              y2={to.y}
              strokeWidth={stroke}
            />
          ))}
          {drawn.points.map((p) => (
            <circle
              key={p.index}
              className={styles.joint}
              cx={p.x}
              cy={p.y}
              r={stroke}
              strokeWidth={stroke / 2}
            />
          ))}
        </svg>
      )}
    </>
  );
}

function Result({ analysis }: { analysis: PoseAnalysis }) {
  return (
    <div className={styles.card}>
      <section aria-labelledby="feedback-title">
        <h2 id="feedback-title">What the check saw</h2>
        {analysis.feedback.length ? (
          <ul className={styles.list}>
            {analysis.feedback.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : (
          <p className={styles.muted}>No remarks.</p>
        )}
      </section>
      <section aria-labelledby="improve-title">
        <h2 id="improve-title">To improve</h2>
        {analysis.improvements.length ? (
          <ul className={styles.list}>
            {analysis.improvements.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : (
          <p className={styles.muted}>Nothing to improve: well held.</p>
        )}
      </section>
    </div>
  );
}
