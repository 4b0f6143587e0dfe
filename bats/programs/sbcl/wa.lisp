;; Prints the sum plus one: a wrong answer.
(format t "~d~%" (+ (read) (read) 1))
