"""Creates empty files, which take no blocks but an inode each, until the filesystem refuses (at most two
million, so that a missing limit ends as an escape rather than filling the host's memory)."""

import os

from verdict import attempt, verdict

created = 0


def create_many():
    global created
    while created < 2_000_000:
        os.close(os.open(f"/tmp/f{created}", os.O_CREAT | os.O_WRONLY, 0o644))
        created += 1


attempt("create", create_many)
verdict("files", str(created))
