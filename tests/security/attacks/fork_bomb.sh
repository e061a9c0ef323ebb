#!/usr/bin/env bash
# The classic fork bomb: every copy starts two more, forever, while the first waits (argv: a marker that
# every copy carries in its command line, so that the host can count them).
bomb() { bomb | bomb & }
bomb
wait
