"""Work on hundreds of thousands of objects at once, with Python's cyclic garbage collector paused.

Each collection of the oldest generation walks every live object, and an import holding a
file's rows, the stored values and the engine's figures for every area-year it touches sets
off dozens of them: a fifth of a 100,000-row import's time (bench/run.py). Reference counting
still frees everything outside a cycle meanwhile, and the collector is back as soon as the
work ends, on success or error.
"""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """As a ``with`` block or a decorator. Nested or overlapping uses leave it as they found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
