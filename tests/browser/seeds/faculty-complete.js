const formData = new FormData();
formData.append('id', sessionId);
formData.append('actual_start_time', '09:30');
formData.append('actual_end_time', '10:45');
formData.append('completion_code', 'BATCH-001-DEC19');
formData.append('notes', 'Covered Topics 1-3, Quiz scheduled for next session');

const res = await fetch('api/session_completion.php?action=complete', {
    method: 'POST',
    credentials: 'same-origin',
    body: formData
});
