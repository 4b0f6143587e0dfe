keep = []
loop { keep << ('x' * (8 << 20)) }
