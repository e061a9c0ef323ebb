#!/usr/bin/env bash
# The classic fork bomb: every copy starts two more, forever (argv: a marker that every copy carries in its
# command line, so that the host can count them). The first copy waits long enough for the bomb to fill every
# place the process limit leaves, then ends, and the sandbox's init ends the rest.
bomb() { bomb | bomb & }
bomb
sleep 1
