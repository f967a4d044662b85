"""The joints measured, each as the three landmarks whose middle one is the joint: the interior
angle there (``angles.angle_at``) is 180° when the limb is straight."""

from __future__ import annotations

from sessionbase.domain.pose.landmarks import Body

Joint = tuple[Body, Body, Body]

JOINTS: dict[str, Joint] = {
    "leftKnee": (Body.LEFT_HIP, Body.LEFT_KNEE, Body.LEFT_ANKLE),
    "rightKnee": (Body.RIGHT_HIP, Body.RIGHT_KNEE, Body.RIGHT_ANKLE),
    "leftHip": (Body.LEFT_SHOULDER, Body.LEFT_HIP, Body.LEFT_KNEE),
    "rightHip": (Body.RIGHT_SHOULDER, Body.RIGHT_HIP, Body.RIGHT_KNEE),
    "leftElbow": (Body.LEFT_SHOULDER, Body.LEFT_ELBOW, Body.LEFT_WRIST),
    "rightElbow": (Body.RIGHT_SHOULDER, Body.RIGHT_ELBOW, Body.RIGHT_WRIST),
    "leftShoulder": (Body.LEFT_HIP, Body.LEFT_SHOULDER, Body.LEFT_ELBOW),
    "rightShoulder": (Body.RIGHT_HIP, Body.RIGHT_SHOULDER, Body.RIGHT_ELBOW),
}
