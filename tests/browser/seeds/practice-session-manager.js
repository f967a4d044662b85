class PracticeSessionManager {
  constructor() {
    this.sessionId = null;
    this.startedAt = null;
  }

  async startSession(sessionType = 'practice') {
    const response = await fetch('/api/exercises/session/start', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Authorization': `Bearer ${this.getToken()}`
      },
      body: JSON.stringify({ session_type: sessionType })
    });

    if (!response.ok) {
      throw new Error('Failed to start session');
    }

    const data = await response.json();
    this.sessionId = data.session_id;
    this.startedAt = data.started_at;

    console.log(`Session ${this.sessionId} started at ${this.startedAt}`);
    return data;
  }

  async submitAnswer(exerciseId, userAnswer, timeTaken) {
    if (!this.sessionId) {
      throw new Error('No active session. Call startSession() first.');
    }

    const response = await fetch('/api/exercises/submit', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Authorization': `Bearer ${this.getToken()}`
      },
      body: JSON.stringify({
        exercise_id: exerciseId,
        user_answer: userAnswer,
        time_taken: timeTaken,
        session_id: this.sessionId
      })
    });

    if (!response.ok) {
      throw new Error('Failed to submit answer');
    }

    return await response.json();
  }

  async endSession() {
    if (!this.sessionId) {
      throw new Error('No active session to end');
    }

    const response = await fetch('/api/exercises/session/end', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Authorization': `Bearer ${this.getToken()}`
      },
      body: JSON.stringify({
        session_id: this.sessionId
      })
    });

    if (!response.ok) {
      throw new Error('Failed to end session');
    }

    const summary = await response.json();

    // Clear session state
    this.sessionId = null;
    this.startedAt = null;

    return summary;
  }

  getToken() {
    // Your authentication token retrieval logic
    return localStorage.getItem('authToken');
  }
}

// Example usage
const practiceSession = new PracticeSessionManager();

// Start session
await practiceSession.startSession('practice');

// Submit answers
for (const exercise of exercises) {
  const result = await practiceSession.submitAnswer(
    exercise.id,
    userAnswer,
    timeTaken
  );

  console.log(`Answer ${result.is_correct ? 'correct' : 'incorrect'}`);
}

// End session and get summary
const summary = await practiceSession.endSession();
console.log(`Final score: ${summary.score_percentage}%`);
console.log(`Duration: ${summary.duration_seconds}s`);
