import sys

sys.path.insert(0, "/home/user/project/src")
import broken
