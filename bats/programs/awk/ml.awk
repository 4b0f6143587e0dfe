# Doubles a string until memory runs out.
BEGIN { s = "x"; while (1) s = s s }
