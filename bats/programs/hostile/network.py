import socket
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    print("connected")
except OSError as e:
    print("connect failed:", e)
    raise SystemExit(1)
