;; Does not read: a parenthesis is never closed.
(display (+ (read) (read))
