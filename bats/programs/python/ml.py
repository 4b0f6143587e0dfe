keep = []
while True:
    keep.append(b'x' * (8 << 20))
