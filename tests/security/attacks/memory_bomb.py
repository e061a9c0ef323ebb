"""Allocates memory and touches every page, 4 MiB at a time, without end."""

hoard = []
while True:
    hoard.append(bytearray(b"\1" * (4 << 20)))
