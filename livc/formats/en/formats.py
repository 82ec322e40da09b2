from livc.formats.belgian import *  # noqa: F403

# Belgian dates in English too; numbers as English writes them.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
