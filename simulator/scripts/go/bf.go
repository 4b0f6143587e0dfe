package main

import "fmt"

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	var s string = a + b
	fmt.Println(s)
}
