;; Spins forever.
(let loop ((n 0)) (loop (modulo (+ n 1) 1000000)))
