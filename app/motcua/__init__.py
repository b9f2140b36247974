"""MotCua Desk: the one-stop reception counter of a Public Administration Service Centre."""

import os

__version__ = "0.1.0"

# OpenCV reads its decoding limit once, when it loads: set here, before any module imports cv2. Images from files
# are checked earlier still (motcua.devices.images); this stops a header that lies to a format Pillow does not know.
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", "100000000")
