"""Writes lines to stdout and stderr as fast as it can, without end."""

import sys

line = "flood " * 170 + "\n"
while True:
    sys.stdout.write(line)
    sys.stderr.write(line)
