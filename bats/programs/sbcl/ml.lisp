;; Keeps distinct 1 MiB arrays alive until memory runs out.
(let ((keep '()))
  (loop for n from 0
        do (push (make-array (* 1024 1024) :element-type '(unsigned-byte 8)
                                            :initial-element (mod n 256))
                 keep)))
