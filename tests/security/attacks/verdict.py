"""Imported by every Python attack. Each probe prints one line "verdict <probe> <outcome>": the errno name of a
refused attempt, ESCAPED when the attempt worked, or a word the attack documents."""

import errno


def verdict(probe, outcome):
    print(f"verdict {probe} {outcome}", flush=True)


def attempt(probe, action):
    """Runs `action`; its OSError's errno name is the outcome, success is an escape."""
    try:
        action()
    except OSError as error:
        verdict(probe, errno.errorcode.get(error.errno, str(error.errno)))
        return False
    verdict(probe, "ESCAPED")
    return True
