;; Does not read: a parenthesis is never closed.
(format t "~d~%" (+ (read) (read))
