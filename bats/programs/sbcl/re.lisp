;; Divides by zero: an unhandled error (the debugger is off: exit 1).
(let ((a (read)) (b (read)))
  (format t "~d~%" (floor a (- b b))))
