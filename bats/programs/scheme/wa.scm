;; Prints the sum plus one: a wrong answer.
(display (+ (read) (read) 1))
(newline)
