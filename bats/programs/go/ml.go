package main

import "fmt"

func main() {
	var keep [][]byte
	for i := 0; i < 512; i++ {
		b := make([]byte, 8<<20)
		for j := range b {
			b[j] = 1
		}
		keep = append(keep, b)
	}
	fmt.Println(len(keep))
}
