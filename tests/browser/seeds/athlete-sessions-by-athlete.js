const response = await fetch(`/api/sessions?athleteId=${athleteId}`);
const { sessions } = await response.json();
