"""Request bodies exactly as the seed documents write them: the clients the API must serve."""

# Yoga seed, "Create Session": a finished practice with its poses (duration in minutes).
YOGA_SESSION = {
    "duration": 25,
    "poses": [
        {
            "pose_name": "Mountain Pose",
            "accuracy": 92.5,
            "feedback": ["Good alignment", "Keep shoulders relaxed"],
            "improvements": ["Lengthen spine more"],
        }
    ],
    "avg_accuracy": 92.5,
}
