;; Divides by zero: an uncaught ArithmeticException.
(let [[a b] (map #(Long/parseLong %) (clojure.string/split (clojure.string/trim (read-line)) #"\s+"))]
  (println (quot a (- b b))))
