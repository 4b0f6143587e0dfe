package main

import "fmt"

func main() {
	var a, b int64
	if _, err := fmt.Scan(&a, &b); err != nil {
		panic(err)
	}
	// An odd state under x*5+1 (mod 2^64) stays odd, so it never reaches
	// zero: the loop runs until the judge kills it.
	x := uint64(a+b)*2 + 1
	for x != 0 {
		x = x*5 + 1
		x |= 1
	}
	fmt.Println(x)
}
