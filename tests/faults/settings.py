"""The settings of the processes the fault tests start: the test settings, with the search
index folder they share (the test settings give each process a fresh one)."""

import os
from pathlib import Path

from cms.settings.test import *  # noqa: F403

SEARCH_INDEX_DIR = Path(os.environ["SEARCH_INDEX_DIR"])
