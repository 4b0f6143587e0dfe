;; Keeps distinct 1 MiB bytevectors alive until memory runs out (they are
;; counted at the end, so the list is live and no compiler may drop it).
(use-modules (rnrs bytevectors))
(let loop ((keep '()) (n 0))
  (if (< n 4096)
      (loop (cons (make-bytevector (* 1024 1024) (modulo n 256)) keep) (+ n 1))
      (begin (display (length keep)) (newline))))
