#lang racket/base
;; Prints the sum plus one: a wrong answer.
(displayln (+ (read) (read) 1))
