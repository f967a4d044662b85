// Practice (the practice seed's flow): start a session, answer the exercises coaches wrote, one at
// a time, with "right" or the right answer after each, then end it and see the score, and the
// streak it keeps. A practice left open (a reload, a visit elsewhere) continues where it was.
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError, api } from "../../api";
import type { AnswerValidation, PracticeStarted, PracticeSummary } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { type Exercise, exerciseFrom, practiceSet } from "../../data/exercises";
import { useQuery } from "../../data/firestore";
import { formatDuration, formatPercent, formatStat } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { apiFormErrors, FormInvalid, text, useForm } from "../../ui/form";
import { Loading } from "../../ui/Loading";
import { FormError, Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./athlete.module.css";
import { answered, next, type Run, savedRun, saveRun } from "./practiceRun";
import { useStats } from "./useStats";

export default function Practice() {
  const { account } = useSignedIn();
  const exercises = useQuery(practiceSet(useDb()), exerciseFrom);
  const [run, setRun] = useState<Run | null>(() => savedRun(account.uid));
  const [summary, setSummary] = useState<PracticeSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const keep = useCallback(
    (next: Run | null) => {
      saveRun(account.uid, next);
      setRun(next);
    },
    [account.uid],
  );

  let content: ReactNode;
  if (summary) {
    content = <Summary summary={summary} again={() => setSummary(null)} />;
  } else if (exercises.status === "loading") {
    content = <Loading label="Loading the exercises…" />;
  } else if (exercises.status === "error") {
    content = (
      <Notice tone="danger">
        The exercises could not be loaded. Check your connection and reload the page.
      </Notice>
    );
  } else if (run) {
    content = (
      <Running
        run={run}
        exercises={exercises.data}
        keep={keep}
        ended={(result) => {
          keep(null);
          setSummary(result);
        }}
        lost={(why) => {
          keep(null);
          setNotice(why);
        }}
      />
    );
  } else {
    content = (
      <>
        {notice && <Notice tone="warning">{notice}</Notice>}
        <Start
          exercises={exercises.data}
          started={(run) => {
            setNotice(null);
            keep(run);
          }}
        />
      </>
    );
  }
  return (
    <Page title="Practice" back={<Link to="/home">← Home</Link>}>
      {content}
    </Page>
  );
}

function Start({ exercises, started }: { exercises: Exercise[]; started: (run: Run) => void }) {
  const start = useMemo(() => api.creator<PracticeStarted>("/api/exercises/session/start"), []);
  const submit = useCallback(
    async (_data: FormData, signal: AbortSignal) => {
      const answer = await start({ session_type: "practice" }, { signal });
      started({
        sessionId: answer.session_id,
        startedAt: answer.started_at,
        exerciseIds: exercises.map((e) => e.exerciseId),
        index: 0,
        answered: 0,
        right: 0,
      });
    },
    [start, started, exercises],
  );
  const { submitting, errors, formProps } = useForm({ submit });
  if (exercises.length === 0) {
    return (
      <p className={styles.muted}>
        No exercises yet. When your coach writes some, you can practise them here.
      </p>
    );
  }
  return (
    <form className={styles.card} aria-label="Start practice" {...formProps}>
      <p>
        {exercises.length === 1 ? "1 exercise" : `${exercises.length} exercises`}, one at a time. After each
        one you see whether it was right; at the end, your score. It counts towards your streak once you
        answer at least one.
      </p>
      <FormError>{errors.form}</FormError>
      <div className={styles.actions}>
        <Button type="submit" busy={submitting} busyLabel="Starting…" disabled={submitting}>
          Start practice
        </Button>
      </div>
    </form>
  );
}

function Running({
  run,
  exercises,
  keep,
  ended,
  lost,
}: {
  run: Run;
  exercises: Exercise[];
  keep: (run: Run | null) => void;
  ended: (summary: PracticeSummary) => void;
  lost: (why: string) => void;
}) {
  // The answer just checked; the run has already moved past it (so a reload does not ask it again).
  const [verdict, setVerdict] = useState<AnswerValidation | null>(null);
  const [ending, setEnding] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  const exercise = exercises.find((e) => e.exerciseId === run.exerciseIds[run.index]);
  const total = run.exerciseIds.length;
  const done = run.index >= total;
  const verdictBox = useRef<HTMLDivElement>(null);

  const end = async () => {
    setEnding(true);
    setEndError(null);
    try {
      ended(await api.post<PracticeSummary>("/api/exercises/session/end", { session_id: run.sessionId }));
    } catch (error) {
      // Ended already (another tab) or gone: nothing to finish here; start afresh.
      if (error instanceof ApiError && (error.status === 400 || error.status === 404)) {
        lost(`This practice could not be finished: ${error.message}`);
        return;
      }
      setEndError(apiFormErrors(error).form ?? "The practice could not be finished. Try again.");
      setEnding(false);
    }
  };

  useEffect(() => {
    if (verdict) verdictBox.current?.querySelector("button")?.focus();
  }, [verdict]);

  // An exercise deleted since the practice started: skip it.
  useEffect(() => {
    if (!done && !exercise && !verdict) keep(next(run));
  }, [done, exercise, verdict, keep, run]);

  const position = verdict ? run.index : run.index + 1;
  return (
    <div className={styles.section}>
      <div className={styles.progress}>
        <p>
          {done && !verdict ? `All ${total} answered` : `Exercise ${position} of ${total}`} · {run.right}{" "}
          right so far
        </p>
        <progress max={total} value={run.index} aria-label="Exercises answered" />
      </div>
      {verdict && (
        <div
          className={`${styles.card} ${verdict.is_correct ? styles.right : styles.wrong}`}
          ref={verdictBox}
        >
          <p role="status" className={styles.verdict}>
            {verdict.is_correct ? "Right!" : `Not quite. The answer: ${verdict.correct_answer}`}
          </p>
          <div className={styles.actions}>
            {!done ? (
              <Button onClick={() => setVerdict(null)}>Next exercise</Button>
            ) : (
              <Button onClick={end} busy={ending} busyLabel="Finishing…" disabled={ending}>
                See my score
              </Button>
            )}
          </div>
        </div>
      )}
      {!verdict && !done && exercise && (
        <Answer
          key={exercise.exerciseId}
          exercise={exercise}
          sessionId={run.sessionId}
          checked={(result) => {
            keep(next(answered(run, result.is_correct)));
            setVerdict(result);
          }}
        />
      )}
      {!verdict && done && (
        <div className={styles.actions}>
          <Button onClick={end} busy={ending} busyLabel="Finishing…" disabled={ending}>
            See my score
          </Button>
        </div>
      )}
      {endError && <Notice tone="danger">{endError}</Notice>}
      {!done && (
        <div className={styles.actions}>
          <Button variant="secondary" onClick={end} disabled={ending}>
            Finish now
          </Button>
        </div>
      )}
    </div>
  );
}

function Answer({
  exercise,
  sessionId,
  checked,
}: {
  exercise: Exercise;
  sessionId: string;
  checked: (result: AnswerValidation) => void;
}) {
  const shownAt = useRef(Date.now());
  // One attempt id per exercise shown: a resent answer is counted once (docs/api.md).
  const attemptId = useRef(crypto.randomUUID());
  const form = useRef<HTMLFormElement>(null);
  const submitAnswer = useMemo(() => api.creator<AnswerValidation>("/api/exercises/submit"), []);
  const submit = useCallback(
    async (data: FormData, signal: AbortSignal) => {
      const answer = text(data, "user_answer");
      if (!answer) throw new FormInvalid({ fields: { user_answer: "Write your answer first." } });
      return submitAnswer(
        {
          exercise_id: exercise.exerciseId,
          user_answer: answer,
          time_taken: Math.round((Date.now() - shownAt.current) / 100) / 10,
          session_id: sessionId,
          attempt_id: attemptId.current,
        },
        { signal },
      );
    },
    [exercise.exerciseId, sessionId, submitAnswer],
  );
  const { submitting, errors, formProps } = useForm({ submit, onDone: checked });
  useEffect(() => {
    form.current?.querySelector("input")?.focus();
  }, []);
  return (
    <form ref={form} className={styles.card} aria-labelledby="exercise-prompt" {...formProps}>
      <fieldset disabled={submitting} className={styles.fieldset}>
        <p id="exercise-prompt" className={styles.prompt}>
          {exercise.prompt}
        </p>
        <Field
          label="Your answer"
          name="user_answer"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          error={errors.fields.user_answer}
        />
        <FormError>{errors.form}</FormError>
        <div className={styles.actions}>
          <Button type="submit" busy={submitting} busyLabel="Checking…">
            Check answer
          </Button>
        </div>
      </fieldset>
    </form>
  );
}

function Summary({ summary, again }: { summary: PracticeSummary; again: () => void }) {
  const stats = useStats();
  const counted = summary.total_exercises > 0;
  return (
    <div className={styles.section}>
      <section className={styles.card} aria-labelledby="score-title">
        <h2 id="score-title">Your score</h2>
        {counted ? (
          <>
            <p className={styles.score}>{formatPercent(summary.score_percentage)}</p>
            <p>
              {summary.correct_answers} of {summary.total_exercises} right, in{" "}
              {formatDuration(summary.duration_seconds)}.
            </p>
          </>
        ) : (
          <p>You finished without answering, so this practice does not count in your statistics.</p>
        )}
      </section>
      {counted && (
        <section className={styles.section} aria-labelledby="streak-title">
          <h2 id="streak-title">Your progress</h2>
          {stats.status === "loading" && <Loading label="Loading your progress…" />}
          {stats.status === "error" && <Notice tone="danger">{stats.error.message}</Notice>}
          {stats.status === "ready" && (
            <dl className={styles.figures}>
              {(["currentStreak", "sessionsThisWeek", "averageScore"] as const).map((key) => {
                const { label, value } = formatStat(key, stats.data.stats[key]);
                return (
                  <div key={key} className={styles.figure}>
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                  </div>
                );
              })}
            </dl>
          )}
        </section>
      )}
      <div className={styles.actions}>
        <Button onClick={again}>Practise again</Button>
        <Link to="/home" className={styles.secondaryAction}>
          Back to Home
        </Link>
      </div>
    </div>
  );
}
