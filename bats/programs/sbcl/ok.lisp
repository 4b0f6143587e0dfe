;; Reads two integers, prints their sum.
(format t "~d~%" (+ (read) (read)))
