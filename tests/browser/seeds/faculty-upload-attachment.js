const formData = new FormData();
formData.append('completion_id', completionId);
formData.append('file', fileInput.files[0]);
formData.append('description', 'Class recording - Session 1');

const res = await fetch('api/session_completion.php?action=upload_attachment', {
    method: 'POST',
    credentials: 'same-origin',
    body: formData
});
