;; Does not read: a bracket is never closed.
(let [[a b] (map #(Long/parseLong %) (clojure.string/split (read-line) #"\s+"))]
  (println (+ a b))
