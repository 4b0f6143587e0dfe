;; Keeps allocating and touching 8 MiB arrays until the heap is exhausted.
(let [keep (java.util.ArrayList.)]
  (dotimes [i 512]
    (let [b (byte-array (bit-shift-left 8 20))]
      (aset-byte b 0 1)
      (.add keep b)))
  (println (.size keep)))
