;; Spins forever.
(loop for n fixnum = 0 then (mod (1+ n) 1000000))
