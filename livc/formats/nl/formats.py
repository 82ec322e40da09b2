from livc.formats.belgian import *  # noqa: F403
