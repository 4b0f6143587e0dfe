package main

import "fmt"

func main() {
	var a, b int64
	if _, err := fmt.Scan(&a, &b); err != nil {
		panic(err)
	}
	// 512 MiB in 1 MiB slices, every page written, every slice kept.
	blocks := make([][]byte, 0, 512)
	for i := 0; i < 512; i++ {
		blk := make([]byte, 1<<20)
		for j := 0; j < len(blk); j += 4096 {
			blk[j] = byte(i%127 + 1)
		}
		blocks = append(blocks, blk)
	}
	sum := 0
	for _, blk := range blocks {
		sum += int(blk[4096])
	}
	fmt.Println(a + b + int64(sum%2))
}
