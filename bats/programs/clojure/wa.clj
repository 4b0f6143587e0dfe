;; Prints the sum plus one: a wrong answer.
(let [[a b] (map #(Long/parseLong %) (clojure.string/split (clojure.string/trim (read-line)) #"\s+"))]
  (println (+ a b 1)))
