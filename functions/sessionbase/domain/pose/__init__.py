"""Body pose measurements (issue 23): pure functions of the keypoints a pose model found.

- ``landmarks``: the 33 body landmarks (MediaPipe Pose's topology) and a frame of them;
- ``joints``: the joints measured, as landmark triples;
- ``angles``: joint angles in degrees from landmarks (flexion, abduction, lean, knee FPPA);
- ``measures``: a clip's series of them, with peak, range of motion, left–right asymmetry;
- ``yoga``: the yoga seed's 11 poses as joint-angle templates; a frame's accuracy, feedback and
  improvements against one, and the best-matching pose;

Pure: no model, no I/O. The analyzer runs the model and hands its landmarks here.
"""
