;; Divides by zero: an uncaught exception.
(display (quotient (read) 0))
(newline)
