#lang racket/base
;; Spins forever.
(let loop ([n 0]) (loop (modulo (add1 n) 1000000)))
