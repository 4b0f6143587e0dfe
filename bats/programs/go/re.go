package main

import "fmt"

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	var m map[string]int
	m["x"] = int(a + b)
}
