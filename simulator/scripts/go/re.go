package main

import "fmt"

func main() {
	var a, b int64
	if _, err := fmt.Scan(&a, &b); err != nil {
		panic(err)
	}
	// Division by a zero only known at run time: a runtime panic, exit 2.
	zero := a - a
	fmt.Println((a + b) / zero)
}
