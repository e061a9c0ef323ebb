"""Opens descriptors until the kernel refuses one (at most a million)."""

import os

from verdict import attempt, verdict

opened = []


def open_many():
    while len(opened) < 1_000_000:
        opened.append(os.open("/dev/null", os.O_RDONLY))


attempt("open", open_many)
verdict("descriptors", str(len(opened)))
