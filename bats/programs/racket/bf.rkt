#lang racket/base
;; Does not compile: an unbound identifier.
(displayln (+ (read) no-such-thing))
