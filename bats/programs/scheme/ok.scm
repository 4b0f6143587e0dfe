;; Reads two integers, prints their sum.
(display (+ (read) (read)))
(newline)
