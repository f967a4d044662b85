const formData = new FormData();
formData.append('completion_id', completionId);
formData.append('note_text', 'Great participation today!');
formData.append('note_type', 'achievement');

await CRUD.post('api/session_completion.php?action=add_note', formData);
