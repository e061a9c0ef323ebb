import sys

sys.path.insert(0, "/home/user/project/src")
import 数据

print(数据.parse_settings("theme = dark"))
