"""CSV cells a spreadsheet never runs as a formula: the DPO's exports and the statistics report."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (=, +, -, @, tab, carriage return)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
