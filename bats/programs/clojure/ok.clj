;; Reads two integers, prints their sum.
(let [[a b] (map #(Long/parseLong %) (clojure.string/split (clojure.string/trim (read-line)) #"\s+"))]
  (println (+ a b)))
