package main

import "fmt"

func main() {
	var a, b int64
	if _, err := fmt.Scan(&a, &b); err != nil {
		panic(err)
	}
	// Off by one on purpose: the judge must answer WA.
	fmt.Println(a + b + 1)
}
