const response = await fetch('/api/sessions/create-with-athlete', {
  method: 'POST',
  body: JSON.stringify({
    videoName: 'athlete_vault.mp4',
    athleteEmail: 'athlete@example.com',
    athleteName: 'John Doe',
    event: 'Vault',
    sessionType: 'Training',
    coachId: 'coach_firebase_id',
    coachEmail: 'coach@example.com',
    coachName: 'Coach Smith'
  })
});
