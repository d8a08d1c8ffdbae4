"""How many times the tests repeat what they repeat to catch a rare crash or a slow leak.

PYOWNED_TEST_SCALE (default 1) scales every count: the valgrind stage (scripts/valgrind.sh)
runs the suite at a fraction of it, since each call there costs fifty times as much, and a
reference-count balance or a memory error shows at the first repetitions as at the last; the
ThreadSanitizer stage at a tenth (TSan judges the order of the accesses it sees, not luck).
"""

import os

SCALE = float(os.environ.get("PYOWNED_TEST_SCALE", "1"))
UNDER_VALGRIND = bool(os.environ.get("PYOWNED_UNDER_VALGRIND"))


def repeats(n, least=2):
    """n scaled by PYOWNED_TEST_SCALE, and never fewer than `least`."""
    return max(least, int(n * SCALE))
