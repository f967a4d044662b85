const response = await fetch(`/api/sessions/stats?athleteId=${athleteId}`);
const { stats } = await response.json();
// stats contains: totalSessions, completedAnalyses, averageMotionIQ, etc.
