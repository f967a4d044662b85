"""pose_model's reading of the model's answer (no model run: ``mediapipe`` is not in this venv;
the pose tier, tests/pose, runs the model itself)."""

from __future__ import annotations

from types import SimpleNamespace

from sessionbase import pose_model
from sessionbase.domain.pose.landmarks import Body


def answer(**moved: tuple[float, float, float]) -> SimpleNamespace:
    marks = [SimpleNamespace(x=0.5, y=0.5, visibility=0.9) for _ in Body]
    for name, (x, y, visibility) in moved.items():
        marks[Body[name]] = SimpleNamespace(x=x, y=y, visibility=visibility)
    return SimpleNamespace(pose_landmarks=SimpleNamespace(landmark=marks))


def test_a_landmark_outside_the_picture_is_not_seen_however_visible_the_model_says():
    frame = pose_model._frame(
        answer(LEFT_KNEE=(0.4, 1.2, 0.95), RIGHT_KNEE=(-0.01, 0.5, 0.99), LEFT_HIP=(1.0, 0.0, 0.7)),
        16 / 9,
    )
    assert frame is not None
    assert frame.aspect == 16 / 9
    assert frame[Body.LEFT_KNEE] == pose_model.Point(0.4, 1.2, 0.0)  # placed, not seen
    assert not frame.seen(Body.LEFT_KNEE)
    assert not frame.seen(Body.RIGHT_KNEE)
    assert frame.seen(Body.LEFT_HIP)  # on the edge is in the picture
    assert frame[Body.LEFT_HIP].visibility == 0.7


def test_no_person_is_none():
    assert pose_model._frame(SimpleNamespace(pose_landmarks=None), 1.0) is None


class Timed(pose_model.VideoTracker):
    """A tracker whose model takes ``cost`` seconds of its clock a frame (no model is run)."""

    def __init__(self, cost: float, **options: object) -> None:
        self.now = 0.0
        super().__init__(clock=lambda: self.now, **options)  # type: ignore[arg-type]
        self.cost = cost

    def measure(self, frame: object) -> None:
        self.now += self.cost


def test_a_clip_is_sampled_at_15_a_second_and_stops_measuring_when_its_budget_is_spent():
    tracker = Timed(0.125, budget=1.0)
    taken = [tracker.offer(object(), k / 30) for k in range(90)]  # 3 s at 30 fps
    assert taken[:4] == [True, False, True, False]  # one frame per 1/15 s slot
    assert len(tracker.samples) == 8  # eight samples spend the second
    assert tracker.samples[-1][0] == round(14 / 30, 6)
    assert tracker.stopped_at == round(16 / 30, 6)  # the first sample not measured
    assert sum(taken) == 8


def test_without_a_budget_problem_every_slot_is_measured():
    tracker = Timed(0.001)
    for k in range(90):
        tracker.offer(object(), k / 30)
    assert len(tracker.samples) == 45
    assert tracker.stopped_at is None
