import os
import platform

print("Hello from inside the Airlock sandbox")
print("user id:", os.getuid(), "hostname:", platform.node())
print("network interfaces:", sorted(os.listdir("/sys/class/net")) if os.path.isdir("/sys/class/net") else "none visible")
