#lang racket/base
;; Keeps distinct 1 MiB byte strings alive until memory runs out.
(let loop ([keep '()] [n 0])
  (loop (cons (make-bytes (* 1024 1024) (modulo n 256)) keep) (add1 n)))
