#lang racket/base
;; Reads two integers, prints their sum.
(displayln (+ (read) (read)))
