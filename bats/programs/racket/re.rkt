#lang racket/base
;; Divides by zero: an uncaught exception.
(define a (read))
(define b (read))
(displayln (quotient a (- b b)))
